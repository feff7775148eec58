"""The meeting pages: who sees and does what, and nothing changes on a refusal."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from smartcourt.meetings.actions import cast_votes
from smartcourt.meetings.models import Ballot, Meeting
from smartcourt.meetings.tests.conftest import World
from smartcourt.meetings.tests.helpers import convene
from smartcourt.testing import client_for, database_state


def _open_meeting(w: World) -> Meeting:
    """A meeting in session now: convened 20 days ago, opened yesterday, voting until tomorrow."""
    now = timezone.now()
    return convene(
        w.p,
        now=now - dt.timedelta(days=20),
        scheduled_at=now - dt.timedelta(days=1),
        voting_opens_at=now - dt.timedelta(days=1),
        voting_closes_at=now + dt.timedelta(days=1),
    )


def _past_meeting(w: World) -> Meeting:
    """A meeting whose voting window ended a minute ago (votes cast inside it through the action)."""
    now = timezone.now()
    meeting = convene(
        w.p,
        now=now - dt.timedelta(days=30),
        scheduled_at=now - dt.timedelta(days=3),
        voting_opens_at=now - dt.timedelta(days=3),
        voting_closes_at=now - dt.timedelta(minutes=1),
    )
    plan = meeting.items.get(kind="management_plan")
    cast_votes(actor=w.p.creditor_a, meeting_id=meeting.pk, votes={str(plan.pk): "for"}, now=now - dt.timedelta(days=2))
    return meeting


@pytest.mark.parametrize(
    ("persona", "status"),
    [("judge", 200), ("assistant", 200), ("administrator", 200), ("creditor_a", 200), ("creditor_b", 404),
     ("outsider", 404), ("other_administrator", 404)],
)  # fmt: skip
def test_meeting_room_permissions(w: World, persona: str, status: int) -> None:
    meeting = _open_meeting(w)
    client = client_for(getattr(w.p, persona))
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == status
    assert client.get(reverse("meetings:list", args=[w.p.case.pk])).status_code == status
    paper = client.get(reverse("meetings:paper", args=[meeting.pk, "notice"]))
    assert paper.status_code == status


def test_anonymous_is_sent_to_sign_in(w: World) -> None:
    meeting = _open_meeting(w)
    response = Client().get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_judge_convenes_through_the_page_and_others_cannot(w: World) -> None:
    url = reverse("meetings:convene", args=[w.p.case.pk])
    for persona, status in (("assistant", 403), ("administrator", 403), ("creditor_a", 403), ("outsider", 404)):
        before = database_state()
        assert client_for(getattr(w.p, persona)).post(url, {"kind": "first"}).status_code == status
        assert database_state() == before
    judge = client_for(w.p.judge)
    assert judge.get(url).status_code == 200
    local = timezone.localtime() + dt.timedelta(days=10)
    body: dict[str, Any] = {
        "kind": "first",
        "title": "第一次债权人会议",
        "scheduled_at": local.strftime("%Y-%m-%dT09:00"),
        "voting_opens_at": local.strftime("%Y-%m-%dT09:00"),
        "voting_closes_at": (local + dt.timedelta(days=1)).strftime("%Y-%m-%dT17:00"),
        "item_1_kind": "management_plan",
        "item_1_title": "财产管理方案",
    }
    before = database_state()
    refused = judge.post(url, body)
    assert refused.status_code == 422 and 'data-testid="field-error"' in refused.content.decode()
    assert database_state() == before
    later = timezone.localtime() + dt.timedelta(days=16)
    body |= {
        "scheduled_at": later.strftime("%Y-%m-%dT09:00"),
        "voting_opens_at": later.strftime("%Y-%m-%dT09:00"),
        "voting_closes_at": (later + dt.timedelta(days=1)).strftime("%Y-%m-%dT17:00"),
        "small_claims_threshold": "10000.00",
    }
    response = judge.post(url, body)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.small_claims_threshold_fen == 1_000_000 and meeting.items.get().kind == "management_plan"


def test_creditor_votes_gets_a_receipt_and_nobody_else_sees_the_vote(w: World) -> None:
    meeting = _open_meeting(w)
    plan = meeting.items.get(kind="management_plan")
    creditor = client_for(w.p.creditor_a)
    page = creditor.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'data-testid="vote-form"' in page and 'data-testid="sign-in"' in page
    response = creditor.post(reverse("meetings:vote", args=[meeting.pk]), {f"vote_{plan.pk}": "against"})
    assert response.status_code == 200
    ballot = Ballot.objects.get()
    html = response.content.decode()
    assert ballot.commitment in html and "&quot;salt&quot;" in html
    # The receipt as a PDF the server made with this answer: the commitment and the salt in its text, the JSON
    # receipt embedded in it.
    encoded = re.search(r'href="data:application/pdf;base64,([^"]+)" data-testid="receipt-pdf"', html)
    assert encoded is not None
    receipt = PdfReader(io.BytesIO(base64.b64decode(encoded.group(1))))
    text = "".join(page.extract_text() for page in receipt.pages).replace("\n", "")
    assert ballot.commitment in text and "反对" in text
    assert list(receipt.attachments) == ["ballot-receipt.json"]
    # Secrecy before the close: the judge and the administrator see the turnout, not the vote.
    for persona in ("judge", "administrator"):
        seen = client_for(getattr(w.p, persona)).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert re.search(r'data-testid="turnout-2">1<', seen)
        assert ballot.commitment[:12] not in seen and "my-ballot" not in seen
    # Not published before the close.
    assert Client().get(reverse("meetings:ballots", args=[meeting.pk])).status_code == 404
    # Others cannot vote in his name or at all.
    for persona, status in (("judge", 403), ("administrator", 403), ("outsider", 404), ("creditor_b", 404)):
        before = database_state()
        denied = client_for(getattr(w.p, persona)).post(
            reverse("meetings:vote", args=[meeting.pk]), {f"vote_{plan.pk}": "for"}
        )
        assert denied.status_code == status
        assert database_state() == before


def test_questions_and_answers_through_the_pages(w: World) -> None:
    meeting = _open_meeting(w)
    creditor = client_for(w.p.creditor_a)
    assert creditor.post(reverse("meetings:ask", args=[meeting.pk]), {"text": "何时分配？"}).status_code == 302
    question = meeting.questions.get()
    before = database_state()
    url = reverse("meetings:answer", args=[meeting.pk, question.pk])
    assert creditor.post(url, {"answer": "x"}).status_code == 403
    assert client_for(w.p.judge).post(url, {"answer": "x"}).status_code == 403
    assert database_state() == before
    assert client_for(w.p.administrator).post(url, {"answer": "下月。"}).status_code == 302
    page = client_for(w.employee_user).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "何时分配？" in page and "下月。" in page


def test_close_publishes_results_ballots_and_the_receipt_check(w: World) -> None:
    meeting = _past_meeting(w)
    ballot = Ballot.objects.get()
    url = reverse("meetings:close", args=[meeting.pk])
    for persona, status in (("administrator", 403), ("creditor_a", 403), ("outsider", 404)):
        before = database_state()
        assert client_for(getattr(w.p, persona)).post(url).status_code == status
        assert database_state() == before
    assert client_for(w.p.judge).post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    page = client_for(w.p.creditor_a).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert meeting.merkle_root in page and 'data-testid="working"' in page and 'data-testid="court-ruling"' in page
    published = json.loads(Client().get(reverse("meetings:ballots", args=[meeting.pk])).content)
    assert published["merkle_root"] == meeting.merkle_root
    rows = [row for item in published["items"] for row in item["ballots"]]
    assert rows == [[ballot.commitment, "for", {"unsecured": 60_000_000}]]
    assert "刘债权" not in json.dumps(published, ensure_ascii=False)
    found = Client().get(reverse("meetings:verify"), {"commitment": ballot.commitment}).content.decode()
    assert 'data-testid="verify-found"' in found
    missing = Client().get(reverse("meetings:verify"), {"commitment": "a" * 64}).content.decode()
    assert 'data-testid="verify-missing"' in missing
    for which in ("results", "minutes"):
        response = client_for(w.p.creditor_a).get(reverse("meetings:paper", args=[meeting.pk, which]))
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_my_meetings_lists_the_creditors_own(w: World) -> None:
    meeting = _open_meeting(w)
    assert meeting.title in client_for(w.p.creditor_a).get(reverse("meetings:mine")).content.decode()
    assert meeting.title not in client_for(w.p.creditor_b).get(reverse("meetings:mine")).content.decode()
