"""Issue 15.18: a company already in bankruptcy (or compulsory liquidation, or with an application for either
pending) is shown as such on the intake screen and in the look-up API, and a further application against it
is refused unless the clerk records why; the reasons are kept in the audit event and the dossier."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse

from smartcourt.accounts.models import User
from smartcourt.audit.models import AuditEvent
from smartcourt.bankruptcy.acceptance import (
    intake_lookup,
    open_insolvency_cases,
    register_application,
    rule_on_application,
)
from smartcourt.bankruptcy.tests.test_intake import (
    FILED,
    HONGDA,
    HUASHENG,
    _merged_catalogue,
    _today,
    chinese,
    creditor_application,
)
from smartcourt.cases.choices import CaseType
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, NotFound
from smartcourt.dossier.models import DossierEntry
from smartcourt.registry.testing import RegistryServer, registry, registry_server
from smartcourt.testing import database_state

if TYPE_CHECKING:
    from conftest import Personas

__all__ = ["_merged_catalogue", "_today", "chinese", "registry", "registry_server"]
pytestmark = pytest.mark.django_db

REASON = "债务人在破产清算程序中申请重整（《企业破产法》第七十条第二款）"


def accepted_liquidation(p: Personas) -> Case:
    review = creditor_application(p)
    ruling = rule_on_application(
        actor=p.judge, case_id=review.pk, decision="accept", reasons="", ruled_on=dt.date(2026, 11, 20)
    )
    assert ruling.accepted is not None
    return ruling.accepted


def debtor_reorganisation(p: Personas, **extra: Any) -> Case:
    return register_application(
        actor=p.clerk,
        procedure="reorganisation",
        credit_code=HONGDA,
        applicant_type="debtor",
        filed_on=FILED,
        presiding_judge_id=p.judge.pk,
        **extra,
    )


def client_for(user: User, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_the_open_case_is_found_and_a_duplicate_refused_without_reasons(
    personas: Personas, registry: RegistryServer
) -> None:
    p = personas
    case = accepted_liquidation(p)
    found = open_insolvency_cases(p.clerk, credit_code=HONGDA)
    assert [(item.case.number, item.visible) for item in found] == [(case.number, True)]
    assert [item.case.number for item in intake_lookup(p.clerk, HONGDA).insolvency] == [case.number]
    before = database_state()
    with pytest.raises(Conflict) as info:
        debtor_reorganisation(p)
    assert info.value.field == "duplicate_reason" and info.value.code == "duplicate_application"
    assert case.number in info.value.message
    assert database_state() == before
    with pytest.raises(Conflict):
        debtor_reorganisation(p, duplicate_reason="   ")
    assert database_state() == before


def test_with_reasons_the_duplicate_is_registered_and_the_reasons_kept(
    personas: Personas, registry: RegistryServer
) -> None:
    p = personas
    case = accepted_liquidation(p)
    review = debtor_reorganisation(p, duplicate_reason=REASON)
    event = AuditEvent.objects.get(action="bankruptcy.application_registered", case_id=review.pk)
    assert event.after is not None
    assert (event.after["open_cases"], event.after["duplicate_reason"]) == ([case.number], REASON)
    entry = DossierEntry.objects.get(case=review)
    text = entry.file.read().decode()
    assert f"登记时该企业已有未结破产（强制清算）案件：{case.number}\n登记人记录的理由：{REASON}\n" in text
    # Both are now open against the company.
    assert {item.case.pk for item in open_insolvency_cases(p.clerk, credit_code=HONGDA)} == {case.pk, review.pk}


def test_a_pending_application_counts_a_concluded_case_does_not(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    review = creditor_application(p)
    assert [item.case.pk for item in open_insolvency_cases(p.clerk, credit_code=HONGDA)] == [review.pk]
    with pytest.raises(Conflict):
        debtor_reorganisation(p)
    rule_on_application(
        actor=p.judge, case_id=review.pk, decision="reject", reasons="债权存在争议", ruled_on=dt.date(2026, 11, 20)
    )
    assert open_insolvency_cases(p.clerk, credit_code=HONGDA) == ()
    assert debtor_reorganisation(p).case_type == CaseType.BANKRUPTCY_APPLICATION


def test_a_creditor_in_someone_elses_bankruptcy_is_not_in_bankruptcy(
    personas: Personas, registry: RegistryServer
) -> None:
    p = personas
    accepted_liquidation(p)  # 华盛建材 applied as 宏达纺织's creditor
    assert open_insolvency_cases(p.clerk, credit_code=HUASHENG) == ()


def test_the_debtors_own_pending_application_counts(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    review = debtor_reorganisation(p)
    assert [item.case.pk for item in open_insolvency_cases(p.clerk, credit_code=HONGDA)] == [review.pk]


def test_only_court_staff_see_it(personas: Personas) -> None:
    with pytest.raises(NotFound):
        open_insolvency_cases(personas.creditor_a, credit_code=HONGDA)


def test_overlong_reasons_are_refused_not_cut(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    accepted_liquidation(p)
    before = database_state()
    with pytest.raises(DomainError) as info:
        debtor_reorganisation(p, duplicate_reason="理" * 501)
    assert info.value.field == "duplicate_reason"
    assert database_state() == before


def test_the_intake_page_shows_the_open_case_and_asks_for_reasons(
    personas: Personas, registry: RegistryServer, chinese: None
) -> None:
    p = personas
    case = accepted_liquidation(p)
    page = client_for(p.clerk, "zh-hans").get(reverse("intake:intake"), {"q": HONGDA}).content.decode()
    assert 'data-testid="open-insolvency"' in page
    assert f'<a href="{reverse("cases:detail", args=[case.pk])}" class="sc-case-number">{case.number}</a>' in page
    assert "该企业已有1件未结的破产或强制清算案件。" in page
    assert 'data-testid="duplicate-reason"' in page
    form = {
        "credit_code": HONGDA,
        "procedure": "reorganisation",
        "applicant_type": "debtor",
        "applicant_kind": "organisation",
        "filed_on": "2026-11-02",
        "presiding_judge": str(p.judge.pk),
    }
    before = database_state()
    refused = client_for(p.clerk, "zh-hans").post(reverse("intake:register"), form)
    assert refused.status_code == 422
    assert f"如东县宏达纺织有限公司已有未结的破产或强制清算案件：{case.number}。" in refused.content.decode()
    assert database_state() == before
    accepted = client_for(p.clerk).post(reverse("intake:register"), {**form, "duplicate_reason": REASON})
    review = Case.objects.get(case_type=CaseType.BANKRUPTCY_APPLICATION, cause="申请破产重整")
    assert accepted.status_code == 302 and accepted["Location"] == reverse("intake:review", args=[review.pk])


def test_a_company_without_open_cases_shows_no_warning(personas: Personas, registry: RegistryServer) -> None:
    page = client_for(personas.clerk).get(reverse("intake:intake"), {"q": HONGDA}).content.decode()
    assert 'data-testid="open-insolvency"' not in page
    assert 'data-testid="duplicate-reason"' not in page


def test_the_api_lists_the_open_cases_and_answers_409(personas: Personas, registry: RegistryServer) -> None:
    p = personas
    case = accepted_liquidation(p)
    client = client_for(p.clerk)
    lookup = client.get("/api/v1/intake/companies", {"q": HONGDA}).json()
    assert [(c["number"], c["case_type"], c["case_id"]) for c in lookup["open_insolvency_cases"]] == [
        (case.number, "bankruptcy", str(case.pk))
    ]
    body = {
        "procedure": "reorganisation",
        "credit_code": HONGDA,
        "applicant_type": "debtor",
        "filed_on": FILED.isoformat(),
        "presiding_judge_id": str(p.judge.pk),
    }
    before = database_state()
    refused = client.post("/api/v1/intake/applications", json.dumps(body), content_type="application/json")
    assert refused.status_code == 409
    assert (refused.json()["error"]["code"], refused.json()["error"]["field"]) == (
        "duplicate_application",
        "duplicate_reason",
    )
    assert database_state() == before
    body["duplicate_reason"] = REASON
    created = client.post("/api/v1/intake/applications", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
