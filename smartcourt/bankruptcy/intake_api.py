"""Application intake over the JSON API (mounted at /api/v1/intake): look a company up, register an
application, rule on it, appoint the administrator of the accepted case. Glue only: the rules live in
``acceptance``. Money is a yuan string with two decimals; a registry that cannot be reached is a 503."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from smartcourt.accounts.models import User
from smartcourt.accounts.web import signed_in_user
from smartcourt.administrators.models import Appointment
from smartcourt.administrators.schemas import AppointmentOut
from smartcourt.bankruptcy.acceptance import (
    ApplicantType,
    Application,
    CompanyCases,
    Decision,
    RelatedCase,
    application_of,
    appoint_administrator_for_case,
    intake_lookup,
    register_application,
    rule_on_application,
)
from smartcourt.bankruptcy.choices import Procedure
from smartcourt.cases.choices import PartyKind
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import NotFound
from smartcourt.core.money import fen_to_yuan
from smartcourt.core.schemas import ERRORS, ErrorOut
from smartcourt.registry.client import Company, CompanySummary

router = Router(tags=["application intake"])


# --- shapes ------------------------------------------------------------------------------------------------


class ShareholderOut(Schema):
    name: str
    kind: str
    subscribed: str = Field(description="Subscribed contribution (认缴), yuan.")
    paid: str = Field(description="Paid-in contribution (实缴), yuan.")
    share_percent: str


class CompanyOut(Schema):
    credit_code: str
    name: str
    company_type: str
    legal_representative: str
    registered_capital: str = Field(description="Yuan.")
    established_on: dt.date
    address: str
    business_scope: str
    status: str = Field(description="存续, 吊销 or 注销.")
    registration_authority: str
    shareholders: list[ShareholderOut]


class CompanySummaryOut(Schema):
    credit_code: str
    name: str
    legal_representative: str
    status: str
    established_on: dt.date
    address: str


class CountOut(Schema):
    count: int
    label: str = Field(description='As the court\'s system shows it: exact up to 99, then "99+".')


class RelatedCaseOut(Schema):
    number: str
    court: str
    case_type: str
    status: str
    roles: list[str]
    case_id: uuid.UUID | None = Field(description="Only for cases you may open.")


class CompanyCasesOut(Schema):
    pending: CountOut
    enforcement: CountOut
    latest: list[RelatedCaseOut]


class LookupQuery(Schema):
    q: str = Field(..., min_length=1, max_length=100, description="Company name (or part of it) or credit code.")


class LookupOut(Schema):
    company: CompanyOut | None
    matches: list[CompanySummaryOut]
    cases: CompanyCasesOut | None
    open_insolvency_cases: list[RelatedCaseOut] = Field(
        description="The company's open bankruptcy or compulsory liquidation cases and applications, in every "
        "court: a further application is registered only with duplicate_reason."
    )


class ApplicationIn(Schema):
    procedure: Procedure
    credit_code: str = Field(..., max_length=18)
    applicant_type: ApplicantType
    applicant_kind: PartyKind = PartyKind.ORGANISATION
    applicant_name: str = Field("", max_length=200)
    applicant_id_number: str = Field("", max_length=18)
    applicant_credit_code: str = Field("", max_length=18)
    filed_on: dt.date
    presiding_judge_id: uuid.UUID
    duplicate_reason: str = Field(
        "",
        max_length=500,
        description="Required when the company already has an open bankruptcy or compulsory liquidation case: why "
        "this application is registered all the same (otherwise 409 duplicate_application).",
    )


class DeadlineStepOut(Schema):
    label: str
    label_en: str
    due_on: dt.date
    basis: str
    holiday_data: bool


class ApplicationOut(Schema):
    case_id: uuid.UUID
    number: str
    status: str
    procedure: Procedure
    company: str
    company_credit_code: str
    applicant: str
    filed_on: dt.date
    rule_by: dt.date
    steps: list[DeadlineStepOut]
    accepted_case_id: uuid.UUID | None


class IntakeRulingIn(Schema):
    decision: Decision
    reasons: str = Field("", max_length=2000)
    ruled_on: dt.date


class IntakeRulingOut(Schema):
    review_case_id: uuid.UUID
    decision: Decision
    late: bool
    accepted_case_id: uuid.UUID | None
    accepted_case_number: str | None


class AppointmentIn(Schema):
    method: str = Field(..., description="judge_choice, rotation or random_draw.")
    firm_id: uuid.UUID | None = None
    grade: str | None = Field(None, description="first, second or third; none: any grade.")
    seed: str | None = Field(None, max_length=200)
    appointed_on: dt.date | None = None


def _company(company: Company) -> dict[str, Any]:
    return {
        "credit_code": company.credit_code,
        "name": company.name,
        "company_type": company.company_type,
        "legal_representative": company.legal_representative,
        "registered_capital": fen_to_yuan(company.registered_capital_fen),
        "established_on": company.established_on,
        "address": company.address,
        "business_scope": company.business_scope,
        "status": company.status,
        "registration_authority": company.registration_authority,
        "shareholders": [
            {
                "name": holder.name,
                "kind": holder.kind,
                "subscribed": fen_to_yuan(holder.subscribed_fen),
                "paid": fen_to_yuan(holder.paid_fen),
                "share_percent": str(share),
            }
            for holder, share in company.holdings
        ],
    }


def _summary(match: CompanySummary) -> dict[str, Any]:
    return {
        "credit_code": match.credit_code,
        "name": match.name,
        "legal_representative": match.legal_representative,
        "status": match.status,
        "established_on": match.established_on,
        "address": match.address,
    }


def _related(item: RelatedCase) -> dict[str, Any]:
    return {
        "number": item.case.number,
        "court": item.case.court.court_code,
        "case_type": item.case.case_type,
        "status": item.case.status,
        "roles": list(item.roles),
        "case_id": item.case.pk if item.visible else None,
    }


def _cases(cases: CompanyCases) -> dict[str, Any]:
    return {
        "pending": {"count": cases.pending.count, "label": cases.pending.label},
        "enforcement": {"count": cases.enforcement.count, "label": cases.enforcement.label},
        "latest": [_related(item) for item in cases.latest],
    }


def _application(application: Application) -> dict[str, Any]:
    case = application.case
    deadline = application.deadline()
    accepted = case.successors.order_by("created_at").first()
    return {
        "case_id": case.pk,
        "number": case.number,
        "status": case.status,
        "procedure": application.procedure,
        "company": application.company.name,
        "company_credit_code": application.company.credit_code,
        "applicant": application.applicant.name if application.applicant else application.company.name,
        "filed_on": case.filed_on,
        "rule_by": deadline.rule_by,
        "steps": [
            {
                "label": step.label_zh,
                "label_en": step.label_en,
                "due_on": step.due_on,
                "basis": f"{step.basis.text} {step.calculation}",
                "holiday_data": step.holiday_data,
            }
            for step in deadline.steps
        ],
        "accepted_case_id": accepted.pk if accepted else None,
    }


# --- endpoints ---------------------------------------------------------------------------------------------


@router.get(
    "/companies",
    response={200: LookupOut, **ERRORS, 503: ErrorOut},
    summary="Look a company up: registry data, shareholders, pending and enforcement cases (court staff)",
    operation_id="intake_lookup",
)
def lookup(request: HttpRequest, params: Query[LookupQuery]) -> dict[str, Any]:
    result = intake_lookup(signed_in_user(request), params.q)
    if result.unavailable is not None:
        raise result.unavailable
    return {
        "company": _company(result.company) if result.company else None,
        "matches": [_summary(match) for match in result.matches],
        "cases": _cases(result.cases) if result.cases else None,
        "open_insolvency_cases": [_related(item) for item in result.insolvency],
    }


@router.post(
    "/applications",
    response={201: ApplicationOut, **ERRORS, 503: ErrorOut},
    summary="Register a bankruptcy or compulsory liquidation application (a filing clerk)",
    operation_id="register_application",
)
def register(request: HttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    case = register_application(
        actor=signed_in_user(request),
        procedure=payload.procedure.value,
        credit_code=payload.credit_code,
        applicant_type=payload.applicant_type.value,
        applicant_kind=payload.applicant_kind.value,
        applicant_name=payload.applicant_name,
        applicant_id_number=payload.applicant_id_number,
        applicant_credit_code=payload.applicant_credit_code,
        filed_on=payload.filed_on,
        presiding_judge_id=payload.presiding_judge_id,
        duplicate_reason=payload.duplicate_reason,
    )
    return Status(201, _application(application_of(case)))


def _application_for(user: User, case_id: uuid.UUID) -> Application:
    if not user.is_court_staff:
        raise NotFound("No such application")
    return application_of(get_case_for(user, case_id))


@router.get(
    "/applications/{case_id}",
    response={200: ApplicationOut, **ERRORS, 503: ErrorOut},
    summary="An application with its statutory period for the ruling (court staff)",
    operation_id="get_application",
)
def get_application(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    return _application(_application_for(signed_in_user(request), case_id))


@router.post(
    "/applications/{case_id}/ruling",
    response={200: IntakeRulingOut, **ERRORS, 503: ErrorOut},
    summary="Rule on an application: accept (opens the 破 or 强清 case) or do not accept (a judge of the case)",
    operation_id="rule_on_application",
)
def rule(request: HttpRequest, case_id: uuid.UUID, payload: IntakeRulingIn) -> dict[str, Any]:
    ruling = rule_on_application(
        actor=signed_in_user(request),
        case_id=case_id,
        decision=payload.decision.value,
        reasons=payload.reasons,
        ruled_on=payload.ruled_on,
    )
    return {
        "review_case_id": ruling.review.pk,
        "decision": ruling.decision,
        "late": ruling.late,
        "accepted_case_id": ruling.accepted.pk if ruling.accepted else None,
        "accepted_case_number": ruling.accepted.number if ruling.accepted else None,
    }


@router.post(
    "/cases/{case_id}/appointment",
    response={201: AppointmentOut, **ERRORS, 503: ErrorOut},
    summary="Appoint the administrator of an accepted case from the roster and record node N02 (a judge of the case)",
    operation_id="appoint_administrator",
)
def appoint(request: HttpRequest, case_id: uuid.UUID, payload: AppointmentIn) -> Status[Appointment]:
    appointment = appoint_administrator_for_case(
        actor=signed_in_user(request),
        case_id=case_id,
        method=payload.method,
        firm_id=payload.firm_id,
        grade=payload.grade,
        seed=payload.seed,
        appointed_on=payload.appointed_on,
    )
    return Status(201, appointment)
