"""Application intake over the JSON API (mounted at /api/v1/intake): look a company up, register an
application, rule on it, appoint the administrator of the accepted case. Glue only: the rules live in
``acceptance``. Money is a yuan string with two decimals; a registry that cannot be reached is a 503."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import NamedTuple

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
    Decision,
    IntakeResult,
    RelatedCase,
    ReviewStep,
    Ruling,
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
from smartcourt.core.schemas import ERRORS, ErrorOut, Yuan
from smartcourt.registry.client import Company, Shareholder

router = Router(tags=["application intake"])


# --- shapes ------------------------------------------------------------------------------------------------


class Holding(NamedTuple):
    holder: Shareholder
    share_percent: Decimal


class ShareholderOut(Schema):
    """Reads a Holding: the registry's shareholder and its share of the subscribed capital."""

    name: str = Field(validation_alias="holder.name")
    kind: str = Field(validation_alias="holder.kind")
    subscribed: Yuan = Field(
        validation_alias="holder.subscribed_fen", description="Subscribed contribution (认缴), yuan."
    )
    paid: Yuan = Field(validation_alias="holder.paid_fen", description="Paid-in contribution (实缴), yuan.")
    share_percent: str

    @staticmethod
    def resolve_share_percent(holding: Holding) -> str:
        return str(holding.share_percent)


class CompanyOut(Schema):
    credit_code: str
    name: str
    company_type: str
    legal_representative: str
    registered_capital: Yuan = Field(validation_alias="registered_capital_fen", description="Yuan.")
    established_on: dt.date
    address: str
    business_scope: str
    status: str = Field(description="存续, 吊销 or 注销.")
    registration_authority: str
    shareholders: list[ShareholderOut]

    @staticmethod
    def resolve_shareholders(company: Company) -> list[Holding]:
        return [Holding(holder, share) for holder, share in company.holdings]


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
    """Reads an acceptance.RelatedCase."""

    number: str = Field(validation_alias="case.number")
    court: str = Field(validation_alias="case.court.court_code")
    case_type: str = Field(validation_alias="case.case_type")
    status: str = Field(validation_alias="case.status")
    roles: list[str]
    case_id: uuid.UUID | None = Field(description="Only for cases you may open.")

    @staticmethod
    def resolve_case_id(item: RelatedCase) -> uuid.UUID | None:
        return item.case.pk if item.visible else None


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
        validation_alias="insolvency",
        description="The company's open bankruptcy or compulsory liquidation cases and applications, in every "
        "court: a further application is registered only with duplicate_reason.",
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
    label: str = Field(validation_alias="label_zh")
    label_en: str
    due_on: dt.date
    basis: str
    holiday_data: bool

    @staticmethod
    def resolve_basis(step: ReviewStep) -> str:
        return f"{step.basis.text} {step.calculation}"


class ApplicationOut(Schema):
    """Reads an acceptance.Application."""

    case_id: uuid.UUID = Field(validation_alias="case.pk")
    number: str = Field(validation_alias="case.number")
    status: str = Field(validation_alias="case.status")
    procedure: Procedure
    company: str = Field(validation_alias="company.name")
    company_credit_code: str = Field(validation_alias="company.credit_code")
    applicant: str
    filed_on: dt.date = Field(validation_alias="case.filed_on")
    rule_by: dt.date
    steps: list[DeadlineStepOut]
    accepted_case_id: uuid.UUID | None

    @staticmethod
    def resolve_applicant(application: Application) -> str:
        return application.applicant.name if application.applicant else application.company.name

    @staticmethod
    def resolve_rule_by(application: Application) -> dt.date:
        return application.deadline().rule_by

    @staticmethod
    def resolve_steps(application: Application) -> tuple[ReviewStep, ...]:
        return application.deadline().steps

    @staticmethod
    def resolve_accepted_case_id(application: Application) -> uuid.UUID | None:
        accepted = application.case.successors.order_by("created_at").first()
        return accepted.pk if accepted else None


class IntakeRulingIn(Schema):
    decision: Decision
    reasons: str = Field("", max_length=2000)
    ruled_on: dt.date


class IntakeRulingOut(Schema):
    """Reads an acceptance.Ruling."""

    review_case_id: uuid.UUID = Field(validation_alias="review.pk")
    decision: Decision
    late: bool
    accepted_case_id: uuid.UUID | None = Field(None, validation_alias="accepted.pk")
    accepted_case_number: str | None = Field(None, validation_alias="accepted.number")


class AppointmentIn(Schema):
    method: str = Field(..., description="judge_choice, rotation or random_draw.")
    firm_id: uuid.UUID | None = None
    grade: str | None = Field(None, description="first, second or third; none: any grade.")
    seed: str | None = Field(None, max_length=200)
    appointed_on: dt.date | None = None


# --- endpoints ---------------------------------------------------------------------------------------------


@router.get(
    "/companies",
    response={200: LookupOut, **ERRORS, 503: ErrorOut},
    summary="Look a company up: registry data, shareholders, pending and enforcement cases (court staff)",
    operation_id="intake_lookup",
)
def lookup(request: HttpRequest, params: Query[LookupQuery]) -> IntakeResult:
    result = intake_lookup(signed_in_user(request), params.q)
    if result.unavailable is not None:
        raise result.unavailable
    return result


@router.post(
    "/applications",
    response={201: ApplicationOut, **ERRORS, 503: ErrorOut},
    summary="Register a bankruptcy or compulsory liquidation application (a filing clerk)",
    operation_id="register_application",
)
def register(request: HttpRequest, payload: ApplicationIn) -> Status[Application]:
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
    return Status(201, application_of(case))


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
def get_application(request: HttpRequest, case_id: uuid.UUID) -> Application:
    return _application_for(signed_in_user(request), case_id)


@router.post(
    "/applications/{case_id}/ruling",
    response={200: IntakeRulingOut, **ERRORS, 503: ErrorOut},
    summary="Rule on an application: accept (opens the 破 or 强清 case) or do not accept (a judge of the case)",
    operation_id="rule_on_application",
)
def rule(request: HttpRequest, case_id: uuid.UUID, payload: IntakeRulingIn) -> Ruling:
    return rule_on_application(
        actor=signed_in_user(request),
        case_id=case_id,
        decision=payload.decision.value,
        reasons=payload.reasons,
        ruled_on=payload.ruled_on,
    )


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
