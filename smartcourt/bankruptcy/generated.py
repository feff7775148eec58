"""A document generated from a node's template and sealed provides that node's output (issue 15.19).

Before, a ruling or notice generated and sealed on the platform still had to be downloaded and uploaded again
as the node's output. The documents app (above this one) calls ``provide_sealed_document`` when it seals a
document whose template names the node outputs it provides; the output points at the sealed copy's dossier
entry, exactly as an upload would point at its own."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.choices import NodeStatus, Operator, OutputKind, ProceedingStatus
from smartcourt.bankruptcy.models import NodeOutput, NodeRecord, Proceeding
from smartcourt.bankruptcy.rulepack import get_procedure
from smartcourt.cases.models import Case
from smartcourt.dossier.models import DossierEntry


@dataclass(frozen=True)
class Provided:
    node_key: str
    output_key: str
    output: NodeOutput | None
    # Why it was not provided: "" when it was.
    skipped: str = ""


def _split(reference: str) -> tuple[str, str] | None:
    node_key, _, output_key = reference.partition(":")
    return (node_key, output_key) if node_key and output_key else None


@transaction.atomic
def provide_sealed_document(
    *, actor: User, case: Case, outputs: list[str], issuer: str, entry: DossierEntry, title: str
) -> list[Provided]:
    """For each ``node:output`` the sealed document's template provides: record the sealed copy (``entry``) as
    that output of the case's node, if the node is in progress in the case's proceeding, the output is a
    document, and the template's issuer is the node's operator (a court document never stands in for the
    administrator's, nor the reverse). Anything else is skipped, with the reason; nothing is refused, since
    the document is sealed either way."""
    proceeding = Proceeding.objects.select_for_update().filter(case=case).first()
    results: list[Provided] = []
    for reference in outputs:
        parsed = _split(reference)
        if parsed is None:
            continue
        node_key, output_key = parsed
        if proceeding is None or proceeding.status != ProceedingStatus.OPEN:
            results.append(Provided(node_key, output_key, None, "no open proceeding"))
            continue
        record = (
            NodeRecord.objects.select_for_update()
            .filter(proceeding=proceeding, node_key=node_key)
            .order_by("-position")
            .first()
        )
        if record is None:
            results.append(Provided(node_key, output_key, None, "not a node of this proceeding"))
            continue
        node = get_procedure(record.procedure).node(node_key)
        output = next((o for o in node.outputs if o.key == output_key), None)
        if output is None or output.kind != OutputKind.DOCUMENT:
            results.append(Provided(node_key, output_key, None, "not a document output of the node"))
            continue
        if node.operator != (Operator.COURT if issuer == "court" else Operator.ADMINISTRATOR):
            results.append(Provided(node_key, output_key, None, "issued by another than the node's operator"))
            continue
        if record.status != NodeStatus.IN_PROGRESS:
            results.append(Provided(node_key, output_key, None, f"node is {record.status}"))
            continue
        now = timezone.now()
        provided = NodeOutput.objects.create(
            record=record, output_key=output_key, dossier_entry=entry, provided_by=actor, provided_at=now
        )
        NodeRecord.objects.filter(pk=record.pk).update(version=F("version") + 1, updated_at=now)
        record_event(
            actor=actor,
            action="bankruptcy.output_provided",
            case_id=case.pk,
            obj=provided,
            after={
                "node": node_key,
                "output": output_key,
                "output_name": output.name_zh,
                "dossier_entry": entry.number,
                "generated": title,
            },
        )
        results.append(Provided(node_key, output_key, provided))
    return results
