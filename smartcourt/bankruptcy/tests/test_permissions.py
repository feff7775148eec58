"""The permission matrix over the pages and the API endpoints, for every persona: who sees what, who may do
what, and on every denial that nothing changed (node records, transitions, outputs, audit events)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from smartcourt.bankruptcy.models import Proceeding
from smartcourt.bankruptcy.tests.conftest import PDF, record
from smartcourt.testing import client_as, database_state, permission_matrix

if TYPE_CHECKING:
    from conftest import Personas

ALL_PERSONAS = [
    "judge",
    "assistant",
    "clerk",
    "court_admin",
    "administrator",
    "other_administrator",
    "creditor_a",
    "creditor_b",
    "bank_operator",
    "outsider",
]
# Who sees the case's node work, who sees the case but not its node work, who sees no case at all.
SEES_NODES = {"judge", "assistant", "clerk", "court_admin", "administrator"}
SEES_CASE_ONLY = {"creditor_a", "bank_operator"}
COURT_STAFF = {"judge", "assistant", "clerk", "court_admin", "outsider"}


@pytest.fixture(autouse=True, scope="session")
def _compiled_messages() -> None:
    mo = Path(settings.BASE_DIR) / "smartcourt/locale/zh_Hans/LC_MESSAGES/django.mo"
    po = mo.with_suffix(".po")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command("compilemessages", locale=["zh_Hans"], verbosity=0)


def expected_view_status(name: str) -> int:
    if name in SEES_NODES:
        return 200
    return 403 if name in SEES_CASE_ONLY else 404


# --- pages -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [None, *ALL_PERSONAS])
def test_rule_pack_page_is_public(personas: Personas, name: str | None) -> None:
    response = client_as(personas, name).get(reverse("bankruptcy:rulepack"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("liquidation", "reorganisation", "settlement", "compulsory_liquidation"):
        assert f'data-testid="procedure-{key}"' in html
    assert html.count('data-node="N') >= 17 + 9 + 7
    # Every article is verified (issue 15.21): no basis carries the badge; template names still may.
    assert 'data-testid="basis-unverified"' not in html


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_node_page(personas: Personas, proceeding: Proceeding, name: str) -> None:
    response = client_as(personas, name).get(reverse("bankruptcy:case_nodes", args=[personas.case.pk]))
    assert response.status_code == expected_view_status(name)
    if response.status_code == 200:
        html = response.content.decode()
        assert personas.case.number in html
        assert html.count('data-node="N') == 17


def test_node_page_of_a_case_without_proceeding_or_unknown_is_404(personas: Personas) -> None:
    client = client_as(personas, "judge")
    assert client.get(reverse("bankruptcy:case_nodes", args=[personas.case.pk])).status_code == 404
    assert client.get(reverse("bankruptcy:case_nodes", args=[uuid.uuid4()])).status_code == 404


def test_pages_need_sign_in(personas: Personas, proceeding: Proceeding) -> None:
    client = Client()
    for url in (reverse("bankruptcy:board"), reverse("bankruptcy:case_nodes", args=[personas.case.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_board(personas: Personas, proceeding: Proceeding, name: str) -> None:
    response = client_as(personas, name).get(reverse("bankruptcy:board"))
    if name not in COURT_STAFF:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    sees = name != "outsider"
    assert (f'data-case="{personas.case.number}"' in html) is sees


POST_ACTIONS = [
    ("start", "N04", {}),
    ("complete", "N04", {}),
    ("outputs", "N04", {"output_key": "executory_contracts", "value": "全部解除"}),
    ("confirm", "N04", {}),
    ("return", "N04", {"reasons": "补充材料"}),
    ("start", "N03", {}),
    ("extend", "N04", {"reason": "x"}),
]
# Who may do each of them, when the node is in the right state: everybody else is refused.
ALLOWED = {"start:N04": {"administrator"}, "start:N03": {"judge", "assistant"}}
JUDGE_REFUSALS = {"confirm": 409, "return": 409, "extend": 422}


REFUSED_CASES = [
    (name, action, key, data)
    for action, key, data in POST_ACTIONS
    for name in ALL_PERSONAS
    if name not in ALLOWED.get(f"{action}:{key}", set())
]


@pytest.mark.parametrize(("name", "action", "key", "data"), REFUSED_CASES)
def test_node_actions_refused_change_nothing(
    personas: Personas, proceeding: Proceeding, name: str, action: str, key: str, data: dict[str, str]
) -> None:
    before = database_state()
    response = client_as(personas, name).post(reverse(f"bankruptcy:{action}", args=[personas.case.pk, key]), data)
    if name not in SEES_NODES | SEES_CASE_ONLY:
        expected = 404
    elif name == "administrator" and action in {"complete", "outputs"}:
        # His node, but N04 has not been started: a conflict shown on the page.
        expected = 409
    elif name == "judge" and action in JUDGE_REFUSALS:
        # The judge may confirm, return and extend, but N04 is pending and has no extension: refused on the page.
        expected = JUDGE_REFUSALS[action]
    else:
        expected = 403
    assert response.status_code == expected
    assert database_state() == before


def test_the_administrator_works_a_node_through_the_pages(personas: Personas, proceeding: Proceeding) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(personas, "administrator")
    page = reverse("bankruptcy:case_nodes", args=[personas.case.pk])
    response = client.post(reverse("bankruptcy:start", args=[personas.case.pk, "N04"]), {"version": 2})
    assert response.status_code == 302 and response["Location"] == f"{page}#node-N04"
    for key in ("takeover_notice", "takeover_inventory"):
        upload = SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf")
        response = client.post(
            reverse("bankruptcy:outputs", args=[personas.case.pk, "N04"]), {"output_key": key, "file": upload}
        )
        assert response.status_code == 302
    response = client.post(reverse("bankruptcy:complete", args=[personas.case.pk, "N04"]))
    assert response.status_code == 302
    assert record(personas, "N04").status == "completed"
    html = client.get(page).content.decode()
    assert "takeover_inventory.pdf" in html


def test_a_refusal_is_shown_on_the_page_with_its_status(personas: Personas, proceeding: Proceeding) -> None:
    client = client_as(personas, "administrator")
    client.post(reverse("bankruptcy:start", args=[personas.case.pk, "N04"]))
    before = database_state()
    response = client.post(reverse("bankruptcy:complete", args=[personas.case.pk, "N04"]))
    assert response.status_code == 422
    assert "N04 cannot be completed without" in response.content.decode()
    stale = client.post(reverse("bankruptcy:complete", args=[personas.case.pk, "N04"]), {"version": 1})
    assert stale.status_code == 409
    assert database_state() == before


def test_the_judge_confirms_and_returns_through_the_pages(personas: Personas, proceeding: Proceeding) -> None:
    from smartcourt.bankruptcy.actions import complete_node, start_node
    from smartcourt.bankruptcy.tests.conftest import drive, provide_all

    drive(personas, "N04")
    drive(personas, "N05")
    start_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N09")
    provide_all(personas, "N09")
    complete_node(actor=personas.administrator, case_id=personas.case.pk, node_key="N09")
    judge = client_as(personas, "judge")
    before = database_state()
    refused = judge.post(reverse("bankruptcy:return", args=[personas.case.pk, "N09"]), {"reasons": ""})
    assert refused.status_code == 422
    assert database_state() == before
    returned = judge.post(
        reverse("bankruptcy:return", args=[personas.case.pk, "N09"]), {"reasons": "请补充评估报告附件"}
    )
    assert returned.status_code == 302
    assert record(personas, "N09").status == "returned"
    html = (
        client_as(personas, "administrator")
        .get(reverse("bankruptcy:case_nodes", args=[personas.case.pk]))
        .content.decode()
    )
    assert "请补充评估报告附件" in html


# --- API ---------------------------------------------------------------------------------------------------


def api(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    url = f"/api/v1/bankruptcy{path}"
    if method == "get":
        return client.get(url)
    return client.post(url, json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize("name", [None, *ALL_PERSONAS])
def test_rulepack_json_is_public(personas: Personas, name: str | None) -> None:
    response = api(client_as(personas, name), "get", "/rulepack")
    assert response.status_code == 200
    keys = [proc["key"] for proc in response.json()["procedures"]]
    assert keys == ["liquidation", "reorganisation", "settlement", "compulsory_liquidation"]


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_nodes_endpoint(personas: Personas, proceeding: Proceeding, name: str) -> None:
    response = api(client_as(personas, name), "get", f"/cases/{personas.case.pk}/nodes")
    assert response.status_code == expected_view_status(name)
    if response.status_code == 200:
        body = response.json()
        assert body["procedure"] == "liquidation"
        n03 = next(node for node in body["nodes"] if node["key"] == "N03")
        assert (n03["due_on"], n03["holiday_data"], n03["colour"] in {"green", "yellow", "red"}) == (
            "2026-10-08",
            True,
            True,
        )
    else:
        assert set(response.json()) == {"error"}


def test_api_needs_sign_in_except_the_rulepack(personas: Personas, proceeding: Proceeding) -> None:
    client = Client()
    assert api(client, "get", f"/cases/{personas.case.pk}/nodes").status_code == 401
    assert api(client, "get", "/statistics").status_code == 401
    before = database_state()
    assert api(client, "post", f"/cases/{personas.case.pk}/nodes/N04/start").status_code == 401
    assert database_state() == before


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_start_endpoint(personas: Personas, proceeding: Proceeding, name: str) -> None:
    before = database_state()
    response = api(client_as(personas, name), "post", f"/cases/{personas.case.pk}/nodes/N04/start")
    if name == "administrator":
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["version"]) == ("in_progress", 3)
        return
    expected = 403 if name in SEES_NODES | SEES_CASE_ONLY else 404
    assert response.status_code == expected
    assert response.json()["error"]["code"] == {403: "forbidden", 404: "not_found"}[expected]
    assert database_state() == before


def test_driving_a_node_through_the_api(personas: Personas, proceeding: Proceeding) -> None:
    admin, judge = client_as(personas, "administrator"), client_as(personas, "judge")
    base = f"/cases/{personas.case.pk}/nodes"
    assert api(admin, "post", f"{base}/N04/start", {"version": 2}).status_code == 200
    missing = api(admin, "post", f"{base}/N04/complete")
    assert missing.status_code == 422
    assert missing.json()["error"] == {
        "code": "missing_outputs",
        "message": "N04 cannot be completed without: Notice that the administrator has taken over (takeover_notice); "
        "Inventory of property, seals, books (takeover_inventory)",
        "field": "outputs",
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    for key in ("takeover_notice", "takeover_inventory"):
        response = admin.post(
            f"/api/v1/bankruptcy{base}/N04/outputs",
            {"output_key": key, "file": SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf")},
        )
        assert response.status_code == 200, response.content
    bad = admin.post(
        f"/api/v1/bankruptcy{base}/N04/outputs",
        {
            "output_key": "takeover_notice",
            "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf"),
        },
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "type_mismatch"
    value = admin.post(
        f"/api/v1/bankruptcy{base}/N04/outputs", {"output_key": "executory_contracts", "value": "全部解除"}
    )
    assert value.status_code == 200
    version = value.json()["version"]
    stale = api(admin, "post", f"{base}/N04/complete", {"version": version - 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    done = api(admin, "post", f"{base}/N04/complete", {"version": version})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    again = api(admin, "post", f"{base}/N04/complete")
    assert again.status_code == 409
    assert api(judge, "post", f"{base}/N04/confirm").status_code == 409
    assert api(judge, "post", f"{base}/N04/return", {"reasons": ""}).status_code == 422
    assert api(admin, "post", f"{base}/N99/start").status_code == 404


def test_dates_and_conversion_through_the_api(personas: Personas) -> None:
    from smartcourt.bankruptcy.tests.conftest import open_liquidation

    open_liquidation(personas, procedure="settlement")
    judge, admin = client_as(personas, "judge"), client_as(personas, "administrator")
    path = f"/cases/{personas.case.pk}"
    assert api(admin, "post", f"{path}/dates", {"name": "announced_on", "date": "2026-09-18"}).status_code == 403
    answer = api(judge, "post", f"{path}/dates", {"name": "announced_on", "date": "2026-09-18"})
    assert answer.status_code == 200 and answer.json()["anchor_dates"]["announced_on"] == "2026-09-18"
    assert api(judge, "post", f"{path}/dates", {"name": "announced_on", "date": "2026-13-01"}).status_code == 422
    converted = api(judge, "post", f"{path}/convert", {"declared_on": "2026-12-01", "reason": "和解协议未获通过"})
    assert converted.status_code == 200
    assert (converted.json()["procedure"], converted.json()["branch"]) == ("settlement", "liquidation")
    assert api(judge, "post", f"{path}/convert", {"declared_on": "2026-12-01", "reason": "x"}).status_code == 409


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_statistics_are_scoped_to_what_the_user_sees(personas: Personas, name: str) -> None:
    response = api(client_as(personas, name), "get", "/statistics")
    assert response.status_code == 200
    rows = response.json()["rows"]
    if name in SEES_NODES | SEES_CASE_ONLY:
        assert rows == [
            {
                "court_code": "苏0623",
                "court": "如东县人民法院",
                "year": 2026,
                "counts": {"破申": 0, "破": 1, "强清申": 0, "强清": 0},
                "total": 1,
            }
        ]
    else:
        assert rows == []


# --- the same permissions as whole matrices (smartcourt.testing.permission_matrix) -----------------------------


def test_the_node_page_matrix(personas: Personas, proceeding: Proceeding) -> None:
    url = reverse("bankruptcy:case_nodes", args=[personas.case.pk])
    permission_matrix(
        personas, lambda client: client.get(url), expect={name: expected_view_status(name) for name in ALL_PERSONAS}
    )


def test_the_start_endpoint_matrix(personas: Personas, proceeding: Proceeding) -> None:
    # Court staff and the creditor see the node but may not start it (403); the others do not see it (404).
    permission_matrix(
        personas,
        lambda client: api(client, "post", f"/cases/{personas.case.pk}/nodes/N04/start"),
        expect={"administrator": 200, **dict.fromkeys((SEES_NODES | SEES_CASE_ONLY) - {"administrator"}, 403)},
        anonymous=401,
    )
