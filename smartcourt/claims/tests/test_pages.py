"""Claims pages over every persona: who sees what (404 for the others), forms, and nothing changed on denial."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from smartcourt.claims.actions import ITEM_LABELS, ReviewDecision, review_claim
from smartcourt.claims.choices import ClaimStatus
from smartcourt.claims.models import Claim
from smartcourt.claims.tests.helpers import counts, declare, open_proceeding
from smartcourt.dossier.tests.helpers import sample_pdf
from smartcourt.testing import client_as

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

ALL = [
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
SEE_CASE = {"judge", "assistant", "clerk", "court_admin", "administrator", "creditor_a", "bank_operator"}
SEE_ALL_CLAIMS = {"judge", "assistant", "clerk", "court_admin", "administrator"}
# The supervising bank sees the case and its account, nothing of the claims (issue 16.3).
INSPECT_CLAIMS = SEE_CASE - {"bank_operator"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def p(personas: Personas) -> Personas:
    open_proceeding(personas)
    return personas


@pytest.mark.parametrize("persona", ALL)
def test_claim_pages_matrix(p: Personas, persona: str) -> None:
    claim = declare(p)
    client = client_as(p, persona)
    case = p.case.pk
    pages = {
        "list": reverse("claims:list", args=[case]),
        "table": reverse("claims:table", args=[case]),
        "detail": reverse("claims:detail", args=[case, claim.pk]),
        "receipt": reverse("claims:document", args=[case, claim.pk, claim.documents.get(kind="receipt").pk]),
    }
    expected_case = 200 if persona in INSPECT_CLAIMS else 404
    expected_claim = 200 if persona in SEE_ALL_CLAIMS | {"creditor_a"} else 404
    assert client.get(pages["list"]).status_code == expected_case
    assert client.get(pages["table"]).status_code == expected_case
    assert client.get(pages["detail"]).status_code == expected_claim
    assert client.get(pages["receipt"]).status_code == expected_claim


def test_creditor_sees_only_his_own_claims_but_the_whole_masked_table(p: Personas) -> None:
    own = declare(p)
    other = declare(p, creditor_kind="organisation", creditor_name="某银行", identifier="91330100799655058B")
    Claim.objects.filter(pk=other.pk).update(creditor=other.creditor)
    # Hand the second creditor to nobody: creditor_a declared it, but it is not his identity.
    other.creditor.user = None
    other.creditor.save()
    client = client_as(p, "creditor_a")
    listing = client.get(reverse("claims:list", args=[p.case.pk])).content.decode()
    assert "某银行" not in listing and "刘债权" in listing
    assert client.get(reverse("claims:detail", args=[p.case.pk, other.pk])).status_code == 404
    table = client.get(reverse("claims:table", args=[p.case.pk])).content.decode()
    assert "某银行" in table and "110105********002X" in table and "11010519491231002X" not in table
    assert own.pk


@pytest.mark.parametrize("persona", ["judge", "clerk", "creditor_a"])
def test_review_post_by_others_is_403_and_changes_nothing(p: Personas, persona: str) -> None:
    claim = declare(p)
    before = counts()
    response = client_as(p, persona).post(
        reverse("claims:review", args=[p.case.pk, claim.pk]),
        {"result": "confirmed", "nature": "ordinary", "version": claim.version},
    )
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize("persona", ["other_administrator", "creditor_b", "outsider", "bank_operator"])
def test_review_post_by_outsiders_is_404(p: Personas, persona: str) -> None:
    claim = declare(p)
    before = counts()
    response = client_as(p, persona).post(
        reverse("claims:review", args=[p.case.pk, claim.pk]),
        {"result": "confirmed", "nature": "ordinary", "version": claim.version},
    )
    assert response.status_code == 404
    assert counts() == before


def test_declare_review_object_and_rule_through_the_pages(p: Personas) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    creditor = client_as(p, "creditor_a")
    response = creditor.post(
        reverse("claims:declare", args=[p.case.pk]),
        {
            "creditor_kind": "natural_person",
            "creditor_name": "刘债权",
            "identifier": "11010519491231002x",
            "nature": "ordinary",
            "principal": "100000",
            "interest_from": "2025-03-09",
            "interest_rate_percent": "3.65",
            "day_count": "act365",
            "liability": "sole",
            "penalties": "500",
            "costs": "",
            "attachments": [SimpleUploadedFile("合同.pdf", sample_pdf("合同"))],
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.interest_fen == 365_000
    detail = creditor.get(response["Location"]).content.decode()
    assert "3,650.00" in detail and "2026-03-08" in detail
    admin = client_as(p, "administrator")
    url = reverse("claims:review", args=[p.case.pk, claim.pk])
    bad = admin.post(
        url,
        {
            "result": "partly_confirmed",
            "nature": "ordinary",
            "principal": "100000",
            "interest": "3650",
            "penalties": "0",
            "costs": "0",
            "version": claim.version,
        },
    )
    assert bad.status_code == 422
    # The page speaks Chinese: the same message the action raises, in the page's language.
    with translation.override("zh-hans"):
        expected = gettext("Give the reason why the %(item)s is not confirmed in full") % {
            "item": ITEM_LABELS["penalties"]
        }
    assert expected == "请说明违约金未全额确认的理由" and expected in bad.content.decode()
    good = admin.post(
        url,
        {
            "result": "partly_confirmed",
            "nature": "ordinary",
            "principal": "100000",
            "interest": "3650",
            "penalties": "0",
            "costs": "0",
            "reason_penalties": "无约定",
            "version": claim.version,
        },
    )
    assert good.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.confirmed_total_fen) == (ClaimStatus.PARTLY_CONFIRMED, 10_365_000)
    objected = creditor.post(reverse("claims:object", args=[p.case.pk, claim.pk]), {"reasons": "违约金有约定"})
    assert objected.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DISPUTED
    tracker = creditor.get(reverse("claims:tracker")).content.decode()
    assert "债权审查结论通知书" in tracker and "103,650.00" in tracker


def test_import_page_shows_problems_by_line_and_cell(p: Personas) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from smartcourt.claims.imports import DEBTOR_LIST_COLUMNS

    lines = [DEBTOR_LIST_COLUMNS, ["=1", "个人", "11010519491231002X", "", "", "", "1", ""]]
    content = "\n".join(",".join(line) for line in lines).encode()
    before = counts()
    response = client_as(p, "administrator").post(
        reverse("claims:import", args=[p.case.pk]),
        {"source": "debtor_list", "file": SimpleUploadedFile("list.csv", content)},
    )
    assert response.status_code == 422
    assert "A2 (债权人名称)" in response.content.decode()
    assert counts() == before
    assert client_as(p, "judge").get(reverse("claims:import", args=[p.case.pk])).status_code == 403


def test_judge_records_the_outcome_of_an_objection(p: Personas) -> None:
    from smartcourt.claims.actions import object_to_claim

    claim = declare(p)
    review_claim(
        actor=p.administrator,
        claim_id=claim.pk,
        decision=ReviewDecision(result="not_confirmed", reasons={"general": "已清偿"}),
    )
    object_to_claim(actor=p.creditor_a, claim_id=claim.pk, reasons="未清偿")
    url = reverse("claims:resolve", args=[p.case.pk, claim.pk])
    data = {
        "basis": "suit",
        "reference": "(2026)苏0623民初9号",
        "resolved_on": "2026-09-01",
        "nature": "ordinary",
        "principal": "100000",
        "interest": "",
        "penalties": "",
        "costs": "",
    }
    before = counts()
    assert client_as(p, "administrator").post(url, data).status_code == 403
    assert client_as(p, "creditor_b").post(url, data).status_code == 404
    assert counts() == before
    judge = client_as(p, "judge")
    assert (
        'data-testid="resolution-form"'
        in judge.get(reverse("claims:detail", args=[p.case.pk, claim.pk])).content.decode()
    )
    assert judge.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.confirmed_total_fen) == ("resolved", 10_000_000)


def test_declaration_form_is_prefilled_from_the_debtors_list(p: Personas) -> None:
    from smartcourt.claims.models import Creditor

    p.creditor_a.phone = "13800138000"
    p.creditor_a.save()
    Creditor.objects.create(
        case=p.case,
        kind="natural_person",
        name=p.creditor_a.full_name,
        identifier="11010519491231002X",
        phone="13800138000",
        source="debtor_list",
        listed_nature="ordinary",
        listed_principal_fen=12_345_678,
        listed_interest_fen=100,
    )
    page = client_as(p, "creditor_a").get(reverse("claims:declare", args=[p.case.pk])).content.decode()
    assert 'data-testid="listed"' in page and 'value="123456.78"' in page
    assert "11010519491231002X" not in page
    p.creditor_a.phone = "13900000000"
    p.creditor_a.save()
    page = client_as(p, "creditor_a").get(reverse("claims:declare", args=[p.case.pk])).content.decode()
    assert 'data-testid="listed"' not in page
