from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from conftest import TEST_PASSWORD
from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.actions import add_member
from smartcourt.cases.choices import MemberRole
from smartcourt.core.errors import Conflict, NotFound, PermissionDenied
from smartcourt.documents import actions
from smartcourt.documents.actions import generate_document, open_delivery, serve_document, sign_document
from smartcourt.documents.models import Delivery, Document
from smartcourt.documents.selectors import inbox_for
from smartcourt.documents.signature_check import verify_pdf
from smartcourt.dossier.models import DossierEntry


def _signed(personas: Any) -> Document:
    document = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    return sign_document(actor=personas.judge, document_id=document.pk)


@pytest.mark.django_db
def test_serve_to_creditors_inbox_email_and_signed_proof(personas: Any) -> None:
    personas.creditor_a.email = "liu@example.cn"
    personas.creditor_a.phone = "13800000000"
    personas.creditor_a.save()
    document = _signed(personas)
    entries = DossierEntry.objects.count()
    result = serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors"])
    assert len(result.created) == 1 and not result.queued
    delivery = Delivery.objects.get()
    assert delivery.user == personas.creditor_a
    assert delivery.status == "delivered"
    assert delivery.channels == ["inbox", "email", "sms"]
    assert delivery.served_at is not None and delivery.opened_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["liu@example.cn"]
    with delivery.proof_pdf.open("rb") as handle:
        proof = handle.read()
    assert verify_pdf(proof).ok
    assert DossierEntry.objects.count() == entries + 1
    assert delivery.proof_entry is not None and delivery.proof_entry.title.startswith("送达回证")
    document.refresh_from_db()
    assert document.status == "served"
    assert list(inbox_for(personas.creditor_a)) == [delivery]
    assert list(inbox_for(personas.creditor_b)) == []


@pytest.mark.django_db
def test_serving_twice_is_idempotent(personas: Any) -> None:
    document = _signed(personas)
    serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors"])
    deliveries, entries, sent = Delivery.objects.count(), DossierEntry.objects.count(), len(mail.outbox)
    again = serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors"])
    assert again.created == [] and again.already_served == 1
    assert (Delivery.objects.count(), DossierEntry.objects.count(), len(mail.outbox)) == (deliveries, entries, sent)


@pytest.mark.django_db
def test_debtor_without_address_fails_and_is_listed(personas: Any) -> None:
    document = _signed(personas)
    serve_document(actor=personas.judge, document_id=document.pk, groups=["debtor"])
    delivery = Delivery.objects.get()
    assert delivery.recipient_name == "如东某某建设有限公司"
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "no electronic address" in delivery.last_error
    assert AuditEvent.objects.latest("seq").action == "documents.service_failed"
    assert actions.retry_failed_deliveries() == 0
    delivery.refresh_from_db()
    assert delivery.attempts == 2


@pytest.mark.django_db
def test_recipient_opens_once(personas: Any) -> None:
    document = _signed(personas)
    serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors"])
    delivery = Delivery.objects.get()
    opened = open_delivery(actor=personas.creditor_a, delivery_id=delivery.pk)
    first = opened.opened_at
    assert first is not None
    assert open_delivery(actor=personas.creditor_a, delivery_id=delivery.pk).opened_at == first
    with pytest.raises(NotFound):
        open_delivery(actor=personas.creditor_b, delivery_id=delivery.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "error"), [("clerk", PermissionDenied), ("creditor_a", NotFound)])
def test_serve_refusals(personas: Any, who: str, error: type[Exception]) -> None:
    document = _signed(personas)
    before = (Delivery.objects.count(), AuditEvent.objects.count())
    with pytest.raises(error):
        serve_document(actor=getattr(personas, who), document_id=document.pk, groups=["creditors"])
    assert (Delivery.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_draft_is_not_served(personas: Any) -> None:
    document = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    with pytest.raises(Conflict):
        serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors"])
    assert Delivery.objects.count() == 0


@pytest.mark.django_db
def test_large_batch_goes_to_the_background_job(personas: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(3):
        creditor = create_user(
            actor=None,
            username=f"c{index}",
            password=TEST_PASSWORD,
            role=Role.CREDITOR,
            full_name=f"债权人{index}",
            organisation=None,
            check_password_strength=False,
        )
        add_member(actor=personas.judge, case=personas.case, role=MemberRole.CREDITOR, user=creditor)
    queued: list[list[str]] = []
    monkeypatch.setattr(actions, "SYNC_DELIVERY_LIMIT", 2)
    import smartcourt.documents.tasks as tasks

    job = tasks.deliver_batch
    monkeypatch.setattr(tasks, "deliver_batch", queued.append)
    document = _signed(personas)
    result = serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors"])
    assert result.queued and len(queued) == 1 and len(queued[0]) == 4
    assert Delivery.objects.filter(status="pending").count() == 4
    # What the job does, run here.
    assert job.call_local(queued[0]) == 4
    assert Delivery.objects.filter(status="delivered").count() == 4
