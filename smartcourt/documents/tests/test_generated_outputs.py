"""Issue 15.19: a document generated and sealed from a node's template is that node's output (it no longer has
to be downloaded and uploaded again), and a template that is always sealed is sealed on generation by whoever
holds the seal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.actions import missing_outputs, start_node
from smartcourt.bankruptcy.models import NodeOutput, NodeRecord
from smartcourt.bankruptcy.rulepack import PROCEDURE_DEFS
from smartcourt.bankruptcy.tests.conftest import open_liquidation
from smartcourt.documents.actions import generate_document, sign_document
from smartcourt.documents.choices import DocumentStatus
from smartcourt.documents.models import DocumentTemplate
from smartcourt.documents.seeds import ALWAYS_SEALED, SEED_OUTPUTS, SEEDS

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db


def node(p: Personas, key: str) -> NodeRecord:
    return NodeRecord.objects.get(proceeding__case=p.case, node_key=key)


def test_every_seeded_binding_names_a_document_output_of_a_node_its_issuer_works() -> None:
    outputs = {
        (n.key, o.key): n.operator
        for proc in PROCEDURE_DEFS
        for n in proc.nodes
        for o in n.outputs
        if o.kind == "document"
    }
    issuers = {seed.key: seed.issuer for seed in SEEDS}
    for key, bound in SEED_OUTPUTS.items():
        for reference in bound:
            node_key, _, output_key = reference.partition(":")
            assert outputs[(node_key, output_key)] == issuers[key], reference
    template = DocumentTemplate.objects.get(key="acceptance_announcement")
    assert template.outputs == ["N03:acceptance_announcement"] and template.always_sealed
    assert set(DocumentTemplate.objects.filter(always_sealed=True).values_list("key", flat=True)) == ALWAYS_SEALED


def test_the_judge_generates_the_announcement_sealed_and_it_is_n03s_output(personas: Personas) -> None:
    p = personas
    open_liquidation(p)
    start_node(actor=p.judge, case_id=p.case.pk, node_key="N03")
    assert "acceptance_announcement" in missing_outputs(node(p, "N03"))
    document = generate_document(actor=p.judge, case_id=p.case.pk, template_key="acceptance_announcement")
    assert document.status == DocumentStatus.SIGNED and document.seal is not None
    provided = NodeOutput.objects.get(record=node(p, "N03"), output_key="acceptance_announcement")
    assert provided.dossier_entry == document.signed_entry
    assert "acceptance_announcement" not in missing_outputs(node(p, "N03"))
    signed = AuditEvent.objects.filter(action="documents.signed").latest("seq")
    assert signed.after is not None and signed.after["node_outputs"] == ["N03:acceptance_announcement"]
    event = AuditEvent.objects.filter(action="bankruptcy.output_provided").latest("seq")
    assert event.after is not None and event.after["output"] == "acceptance_announcement"


def test_the_administrators_sealed_takeover_notice_is_n04s_output(personas: Personas) -> None:
    p = personas
    open_liquidation(p)
    start_node(actor=p.administrator, case_id=p.case.pk, node_key="N04")
    document = generate_document(actor=p.administrator, case_id=p.case.pk, template_key="takeover_notice")
    assert document.status == DocumentStatus.SIGNED
    assert document.seal is not None and document.seal.organisation == p.firm_a
    assert "takeover_notice" not in missing_outputs(node(p, "N04"))


def test_an_assistant_drafts_and_the_judges_seal_provides_the_output(personas: Personas) -> None:
    p = personas
    open_liquidation(p)
    start_node(actor=p.judge, case_id=p.case.pk, node_key="N03")
    draft = generate_document(actor=p.assistant, case_id=p.case.pk, template_key="acceptance_announcement")
    # The assistant holds no seal: the always-sealed announcement stays a draft, and provides nothing yet.
    assert draft.status == DocumentStatus.DRAFT and not draft.signed_pdf
    assert not NodeOutput.objects.filter(record=node(p, "N03"), output_key="acceptance_announcement").exists()
    signed = sign_document(actor=p.judge, document_id=draft.pk)
    assert NodeOutput.objects.get(record=node(p, "N03"), output_key="acceptance_announcement").dossier_entry == (
        signed.signed_entry
    )


def test_a_node_not_in_progress_is_not_given_the_output(personas: Personas) -> None:
    p = personas
    open_liquidation(p)
    # N03 is ready but nobody started it: the sealed announcement is filed, the node is left alone.
    document = generate_document(actor=p.judge, case_id=p.case.pk, template_key="acceptance_announcement")
    assert document.status == DocumentStatus.SIGNED
    assert not NodeOutput.objects.filter(record=node(p, "N03")).exists()


def test_a_draft_asked_for_is_not_sealed_and_provides_nothing(personas: Personas) -> None:
    p = personas
    open_liquidation(p)
    start_node(actor=p.judge, case_id=p.case.pk, node_key="N03")
    draft = generate_document(actor=p.judge, case_id=p.case.pk, template_key="acceptance_announcement", draft=True)
    assert draft.status == DocumentStatus.DRAFT
    assert "acceptance_announcement" in missing_outputs(node(p, "N03"))


def test_a_template_not_always_sealed_is_generated_as_a_draft(personas: Personas) -> None:
    p = personas
    open_liquidation(p)
    start_node(actor=p.administrator, case_id=p.case.pk, node_key="N05")
    draft = generate_document(actor=p.administrator, case_id=p.case.pk, template_key="property_report")
    assert draft.status == DocumentStatus.DRAFT
    assert "property_report" in missing_outputs(node(p, "N05"))
    sign_document(actor=p.administrator, document_id=draft.pk)
    assert "property_report" not in missing_outputs(node(p, "N05"))
