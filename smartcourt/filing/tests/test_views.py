"""The filing pages: who sees what (a permission matrix), the form's Chinese errors naming the field with
nothing stored, the clerk's queue, and the states named honestly."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import Personas
from smartcourt.filing import actions
from smartcourt.filing.models import Filing
from smartcourt.filing.tests.helpers import filed, lawyer
from smartcourt.testing import client_for


def _form(personas: Personas, **changes: str) -> dict[str, str]:
    data = {
        "court": str(personas.rudong.pk),
        "cause_code": "CA062",
        "p0_role": "plaintiff",
        "p0_kind": "natural_person",
        "p0_name": "马某某",
        "p0_id_number": "320623198507120019",
        "p1_role": "defendant",
        "p1_kind": "organisation",
        "p1_name": "如东某某建设有限公司",
        "p1_credit_code": "914403001922038216",
        "p2_role": "defendant",
        "p2_kind": "natural_person",
        "p2_name": "",
        "claims": "判令被告偿还借款100,000元",
        "amount": "100000.00",
        "facts": "被告借款未还。",
        "consent_online": "on",
        "action": "submit",
    }
    data.update(changes)
    return data


def test_the_lawyer_files_and_the_page_names_the_state(personas: Personas) -> None:
    user = lawyer()
    client = client_for(user)
    page = client.get("/filing/new/")
    assert page.status_code == 200 and "网上立案" in page.content.decode()
    response = client.post("/filing/new/", _form(personas))
    assert response.status_code == 302
    filing = Filing.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "法院已收到，待审查" in detail
    assert "草稿" not in detail.split('data-testid="filing-status"')[1][:40]
    assert filing.status == "submitted"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"p1_name": "", "p1_credit_code": ""}, "请至少列明一名被告（民事诉讼法第一百二十二条：有明确的被告）"),
        ({"p0_id_number": "320623198507120010"}, "身份证号码 320623198507120010：校验码为 0，按 GB 11643 应为 9"),
        (
            {"p1_credit_code": "914403001922038210"},
            "统一社会信用代码 914403001922038210：校验码为 0，按 GB 32100 应为 6",
        ),
        ({"amount": "12.345"}, "金额以元为单位，最多两位小数，例如 1234.50"),
        ({"cause_code": "CA999"}, "请从案由列表中选择案由"),
    ],
)
def test_bad_input_gets_a_chinese_error_and_nothing_is_sent(
    personas: Personas, changes: dict[str, str], message: str
) -> None:
    client = client_for(lawyer())
    response = client.post("/filing/new/", _form(personas, **changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Filing.objects.exclude(status="draft").exists()


def test_permission_matrix(personas: Personas) -> None:
    owner = lawyer()
    filing = filed(personas, owner)
    url = f"/filing/{filing.pk}/"
    expectations = {
        owner: 200,
        personas.clerk: 200,  # a filing clerk of the court
        lawyer("other", "别人"): 404,
        personas.outsider: 404,  # a filing clerk of another court
        personas.judge: 404,
        personas.creditor_a: 404,
    }
    for user, status in expectations.items():
        assert client_for(user).get(url).status_code == status, user
    assert Client().get(url).status_code == 302  # to sign in
    # Only the court's clerks see the queue and act.
    assert client_for(personas.clerk).get("/filing/queue/").status_code == 200
    assert client_for(owner).get("/filing/queue/").status_code == 403
    assert (
        client_for(owner).post(f"/filing/{filing.pk}/docket/", {"presiding_judge": str(personas.judge.pk)}).status_code
        == 403
    )
    filing.refresh_from_db()
    assert filing.status == "submitted" and filing.case is None


def test_queue_shows_the_deadline_colour_and_the_clerk_dockets(personas: Personas) -> None:
    filing = filed(personas, lawyer())
    clerk = client_for(personas.clerk)
    queue = clerk.get("/filing/queue/").content.decode()
    assert 'data-testid="colour-green"' in queue and "借款合同纠纷" in queue
    response = clerk.post(f"/filing/{filing.pk}/docket/", {"presiding_judge": str(personas.judge.pk)})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == "docketed"
    page = clerk.get(f"/filing/{filing.pk}/").content.decode()
    assert filing.case is not None and filing.case.number in page and "2,300.00" in page


def test_a_draft_is_autosaved(personas: Personas) -> None:
    user = lawyer()
    draft = actions.save_draft(actor=user, filing_id=None, court_id=personas.rudong.pk, claims="初稿")
    client = client_for(user)
    response = client.post(
        f"/filing/{draft.pk}/edit/", _form(personas, action="", claims="改过的请求"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "草稿已于" in response.content.decode()
    draft.refresh_from_db()
    assert draft.claims == "改过的请求" and draft.status == "draft"
