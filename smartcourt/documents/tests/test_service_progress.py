"""Following a service job: progress, the failures listed for the clerk, a retry that sends nothing twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import Conflict, NotFound
from smartcourt.documents import actions, pades
from smartcourt.documents.actions import generate_document, retry_delivery, serve_document, sign_document
from smartcourt.documents.models import Delivery, Document
from smartcourt.documents.selectors import service_progress
from smartcourt.dossier.models import DossierEntry
from smartcourt.testing import client_for


def _signed(personas: Any) -> Document:
    document = generate_document(
        actor=personas.judge, case_id=personas.case.pk, template_key="acceptance_ruling", draft=True
    )
    return sign_document(actor=personas.judge, document_id=document.pk)


def _pending(document: Document, personas: Any, *, email: str = "") -> Delivery:
    return Delivery.objects.create(
        document=document, recipient_key="party:x", recipient_name="甲公司", email=email, requested_by=personas.judge
    )


def _failing_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise OSError("signing device unavailable")

    monkeypatch.setattr(pades, "sign_pdf", broken)


@pytest.mark.django_db
def test_a_retry_after_a_failed_proof_sends_the_email_and_sms_only_once(
    personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    personas.creditor_a.email = "liu@example.cn"
    personas.creditor_a.phone = "13800000000"
    personas.creditor_a.save()
    document = _signed(personas)
    sent_sms: list[tuple[str, str]] = []

    class RecordingSms:
        def send(self, phone: str, text: str) -> None:
            sent_sms.append((phone, text))

    monkeypatch.setattr(actions, "sms_adapter", RecordingSms)
    with monkeypatch.context() as patch:
        _failing_signature(patch)
        serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors"])
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "signing device unavailable" in delivery.last_error
    assert delivery.email_sent_at is not None and delivery.sms_sent_at is not None
    assert len(mail.outbox) == 1 and len(sent_sms) == 1

    assert actions.retry_failed_deliveries() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.channels == ["inbox", "email", "sms"]
    assert len(mail.outbox) == 1 and len(sent_sms) == 1
    # Served through the inbox when the delivery succeeded; the e-mail had gone out earlier.
    assert delivery.served_at is not None and delivery.sent_at == delivery.email_sent_at


@pytest.mark.django_db
def test_email_only_recipient_is_served_when_the_email_went_out(personas: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    document = _signed(personas)
    delivery = _pending(document, personas, email="debtor@example.cn")
    with monkeypatch.context() as patch:
        _failing_signature(patch)
        delivery = actions.deliver(delivery_id=delivery.pk)
    emailed = delivery.email_sent_at
    assert delivery.status == "failed" and emailed is not None
    delivery = retry_delivery(actor=personas.judge, delivery_id=delivery.pk)
    assert delivery.status == "delivered" and delivery.channels == ["email"]
    assert delivery.served_at == emailed
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_service_progress_counts(personas: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    document = _signed(personas)
    serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors", "debtor"])
    progress = service_progress(document)
    # The creditor member is served through the inbox; the debtor has no electronic address.
    assert (progress.total, progress.delivered, progress.failed, progress.pending, progress.opened) == (2, 1, 1, 0, 0)
    assert progress.percent_done == 100


@pytest.mark.django_db
def test_service_page_shows_progress_and_failures_to_the_judge(personas: Any) -> None:
    document = _signed(personas)
    serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors", "debtor"])
    judge = client_for(personas.judge)
    page = judge.get(reverse("documents:service", args=[document.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="service-progress"' in html and "刘债权" in html and "如东某某建设有限公司" in html
    assert "every 2s" not in html  # nothing is waiting, so the page does not poll
    failed_only = judge.get(reverse("documents:service", args=[document.pk]), {"status": "failed"}).content.decode()
    assert "如东某某建设有限公司" in failed_only and "刘债权" not in failed_only
    part = judge.get(
        reverse("documents:service", args=[document.pk]), {"part": "progress"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert part.lstrip().startswith("<section") and "<html" not in part


@pytest.mark.django_db
def test_pending_service_polls_for_progress(personas: Any) -> None:
    document = _signed(personas)
    _pending(document, personas)
    html = client_for(personas.judge).get(reverse("documents:service", args=[document.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["creditor_a", "creditor_b", "outsider", "administrator"])
def test_service_page_and_retry_are_hidden_from_others(personas: Any, who: str) -> None:
    document = _signed(personas)
    serve_document(actor=personas.judge, document_id=document.pk, groups=["debtor"])
    delivery = Delivery.objects.get()
    before = (delivery.attempts, delivery.status, AuditEvent.objects.count(), len(mail.outbox))
    client = client_for(getattr(personas, who))
    assert client.get(reverse("documents:service", args=[document.pk])).status_code == 404
    assert client.post(reverse("documents:retry", args=[document.pk, delivery.pk])).status_code == 404
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.status, AuditEvent.objects.count(), len(mail.outbox)) == before


@pytest.mark.django_db
def test_clerk_retry_is_recorded_and_a_delivered_one_is_not_retried(personas: Any) -> None:
    document = _signed(personas)
    serve_document(actor=personas.judge, document_id=document.pk, groups=["creditors", "debtor"])
    failed = Delivery.objects.get(status="failed")
    entries = DossierEntry.objects.count()
    answer = client_for(personas.judge).post(reverse("documents:retry", args=[document.pk, failed.pk]))
    assert answer.status_code == 302 and answer["Location"] == reverse("documents:service", args=[document.pk])
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.attempts == 2
    actions_seen = list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions_seen == ["documents.service_failed", "documents.service_retried"]
    delivered = Delivery.objects.get(status="delivered")
    with pytest.raises(Conflict):
        retry_delivery(actor=personas.judge, delivery_id=delivered.pk)
    with pytest.raises(NotFound):
        retry_delivery(actor=personas.judge, delivery_id="00000000-0000-0000-0000-000000000000")
    assert DossierEntry.objects.count() == entries
