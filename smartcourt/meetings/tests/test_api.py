"""The meetings API: convene, vote, secrecy, close, public ballots and receipt check; errors in the common shape."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from django.utils import timezone

from smartcourt.meetings import ballots
from smartcourt.meetings.models import Ballot, Meeting
from smartcourt.meetings.tests.conftest import World
from smartcourt.meetings.tests.helpers import convene
from smartcourt.testing import client_for, database_state

API = "/api/v1/meetings"


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_convene_over_the_api_checks_the_notice_period(w: World) -> None:
    judge = client_for(w.p.judge)
    soon = timezone.now() + dt.timedelta(days=3)
    body = {
        "kind": "first",
        "title": "第一次债权人会议",
        "scheduled_at": soon.isoformat(),
        "voting_opens_at": soon.isoformat(),
        "voting_closes_at": (soon + dt.timedelta(days=1)).isoformat(),
        "items": [{"kind": "general", "title": "设立债权人委员会"}],
    }
    before = database_state()
    refused = _post(judge, f"{API}/cases/{w.p.case.pk}", body)
    assert refused.status_code == 422 and json.loads(refused.content)["error"]["code"] == "notice_too_late"
    assert _post(judge, f"{API}/cases/{w.p.case.pk}", {**body, "items": []}).status_code == 422
    assert _post(client_for(w.p.administrator), f"{API}/cases/{w.p.case.pk}", body).status_code == 403
    assert database_state() == before
    later = timezone.now() + dt.timedelta(days=20)
    body |= {"scheduled_at": later.isoformat(), "voting_opens_at": later.isoformat(),
             "voting_closes_at": (later + dt.timedelta(days=1)).isoformat()}  # fmt: skip
    created = _post(judge, f"{API}/cases/{w.p.case.pk}", body)
    assert created.status_code == 201 and json.loads(created.content)["items"][0]["kind"] == "general"


def test_vote_over_the_api_then_close_and_check(w: World) -> None:
    now = timezone.now()
    meeting = convene(
        w.p,
        now=now - dt.timedelta(days=20),
        scheduled_at=now - dt.timedelta(days=1),
        voting_opens_at=now - dt.timedelta(days=1),
        voting_closes_at=now + dt.timedelta(days=1),
    )
    plan = meeting.items.get(kind="management_plan")
    creditor = client_for(w.p.creditor_a)
    assert _post(creditor, f"{API}/{meeting.pk}/votes", {"votes": {str(plan.pk): "maybe"}}).status_code == 422
    receipt = _post(creditor, f"{API}/{meeting.pk}/votes", {"votes": {str(plan.pk): "for"}})
    assert receipt.status_code == 200
    line = json.loads(receipt.content)["lines"][0]
    assert len(line["salt"]) == 64 and line["commitment"] == Ballot.objects.get().commitment
    mine = json.loads(creditor.get(f"{API}/{meeting.pk}").content)
    assert [i["my_vote"] for i in mine["items"]] == [None, "for", None]
    judge_view = json.loads(client_for(w.p.judge).get(f"{API}/{meeting.pk}").content)
    assert all(i["my_vote"] is None and i["result"] is None for i in judge_view["items"])
    assert client_for(w.p.outsider).get(f"{API}/{meeting.pk}").status_code == 404
    # Too early to close; public list not there yet.
    assert _post(client_for(w.p.judge), f"{API}/{meeting.pk}/close").status_code == 409
    assert Client().get(f"{API}/{meeting.pk}/ballots").status_code == 404
    # Let the window pass, then close.
    Meeting.objects.filter(pk=meeting.pk).update(voting_closes_at=timezone.now() - dt.timedelta(seconds=1))
    closed = _post(client_for(w.p.judge), f"{API}/{meeting.pk}/close")
    assert closed.status_code == 200 and json.loads(closed.content)["status"] == "closed"
    public = json.loads(Client().get(f"{API}/{meeting.pk}/ballots").content)
    assert public["items"][0]["ballots"][0][:2] == [line["commitment"], "for"]
    check = json.loads(_post(Client(), f"{API}/receipts/check", {"commitment": line["commitment"]}).content)
    assert check["found"] is True and check["vote"] == "for" and check["merkle_root"] == public["merkle_root"]
    # The inclusion proof verifies offline against the published root.
    assert ballots.verify_path(
        line["commitment"], check["leaf_index"], check["tree_size"], check["audit_path"], public["merkle_root"]
    )
    assert json.loads(_post(Client(), f"{API}/receipts/check", {"commitment": "f" * 64}).content) == {
        "found": False, "meeting_id": None, "item_id": None, "vote": None, "leaf_index": None, "tree_size": None,
        "merkle_root": None, "audit_path": [],
    }  # fmt: skip
    bad = _post(Client(), f"{API}/receipts/check", {"commitment": "xyz"})
    assert bad.status_code == 422 and set(json.loads(bad.content)["error"]) == {"code", "message", "field"}
    assert _post(creditor, f"{API}/{meeting.pk}/votes", {"votes": {str(plan.pk): "against"}}).status_code == 409


def test_sign_in_questions_and_answers_over_the_api(w: World) -> None:
    now = timezone.now()
    meeting = convene(
        w.p,
        now=now - dt.timedelta(days=20),
        scheduled_at=now - dt.timedelta(hours=1),
        voting_opens_at=now - dt.timedelta(hours=1),
        voting_closes_at=now + dt.timedelta(days=1),
    )
    creditor = client_for(w.p.creditor_a)
    signed = _post(creditor, f"{API}/{meeting.pk}/sign-in")
    assert signed.status_code == 200 and json.loads(signed.content)["signed_in"] is True
    assert _post(client_for(w.p.judge), f"{API}/{meeting.pk}/sign-in").status_code == 403
    asked = _post(creditor, f"{API}/{meeting.pk}/questions", {"text": "何时分配？"})
    assert asked.status_code == 201
    question_id = json.loads(asked.content)["id"]
    assert _post(creditor, f"{API}/{meeting.pk}/questions", {"text": ""}).status_code == 422
    before = database_state()
    assert _post(creditor, f"{API}/questions/{question_id}/answer", {"answer": "x"}).status_code == 403
    assert (
        _post(client_for(w.p.other_administrator), f"{API}/questions/{question_id}/answer", {"answer": "x"}).status_code
        == 404
    )
    assert database_state() == before
    answered = _post(client_for(w.p.administrator), f"{API}/questions/{question_id}/answer", {"answer": "下月。"})
    assert answered.status_code == 200 and json.loads(answered.content)["answer"] == "下月。"
    listed = json.loads(client_for(w.employee_user).get(f"{API}/{meeting.pk}/questions").content)
    assert [(q["creditor"], q["text"], q["answer"]) for q in listed] == [("刘债权", "何时分配？", "下月。")]
    assert Client().get(f"{API}/{meeting.pk}/questions").status_code == 401
