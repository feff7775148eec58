"""Applications to open a bankruptcy or compulsory liquidation (破申 / 强清申), from the filing clerk's intake
screen to the judge's ruling on acceptance, and the appointment of the administrator that follows.

- ``intake_lookup`` (read): the company's registry record and shareholders, and every pending (在审) and
  enforcement (在执) case in the platform in which it is a party, counted as the court's system shows them
  ("99+" above 99);
- ``register_application``: the filing clerk registers the application as a review case (破申 or 强清申);
- ``rule_on_application``: the judge accepts (the 破 or 强清 case is opened with the review case as its
  origin, the proceeding starts) or rejects, with reasons; the review case is closed either way;
- ``appoint_administrator_for_case``: the judge appoints the administrator from the roster and the engine
  records node N02. This is the one place where bankruptcy calls the administrators app.

What an application asked for is kept on the review case itself: the procedure in its cause of action (案由,
e.g. 申请破产重整) and the applicant's position in the company's party role (respondent when a creditor or a
shareholder applied, debtor when the person obliged to liquidate did, applicant when the debtor did).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from smartcourt.accounts.choices import OrganisationKind, Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.actions import appoint_administrator
from smartcourt.administrators.choices import AppointmentMethod
from smartcourt.administrators.models import Appointment
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.actions import open_proceeding, record_appointment
from smartcourt.bankruptcy.choices import Procedure
from smartcourt.bankruptcy.errors import BankruptcyError
from smartcourt.cases.actions import add_member, add_party, change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole, PartyKind, PartyRole
from smartcourt.cases.models import Case, CaseStatusChange, Party
from smartcourt.cases.policies import is_judge_of
from smartcourt.cases.selectors import cases_visible_to, get_case_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.identifiers import credit_code_problem, normalise_identifier
from smartcourt.core.lengths import fit
from smartcourt.core.money import fen_to_yuan
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.registry.client import Company, CompanySummary, RegistryClient, RegistryUnavailable, get_registry
from smartcourt.rules.calendar import current_calendar
from smartcourt.rules.deadlines import LegalBasis, ebl
from smartcourt.rules.periods import Period, RestDayCalendar, Unit, period_end

REVIEW_CASE_TYPES = frozenset({CaseType.BANKRUPTCY_APPLICATION, CaseType.LIQUIDATION_APPLICATION})
# The cases that put a company in bankruptcy or compulsory liquidation, and the applications for them.
INSOLVENCY_CASE_TYPES = frozenset({*REVIEW_CASE_TYPES, CaseType.BANKRUPTCY, CaseType.LIQUIDATION})
MAX_REASONS = 2000
MAX_DUPLICATE_REASON = 500
COUNT_CAP = 99
LISTED_CASES = 10


class ApplicantType(models.TextChoices):
    # 债权人: a creditor applies against its debtor (EBL art. 7(2); Company Law art. 233 for liquidation).
    CREDITOR = "creditor", _("Creditor")
    # 债务人: the company applies itself (EBL art. 7(1)); the only applicant for a settlement (art. 95).
    DEBTOR = "debtor", _("The debtor itself")
    # 清算义务人: those obliged to liquidate a dissolved company that cannot pay its debts (EBL art. 7(3)),
    # or, for compulsory liquidation, a liquidation obligor asking the court to appoint the liquidation group.
    LIQUIDATOR = "liquidator", _("Person obliged to liquidate")
    # 股东: a shareholder applies for the compulsory liquidation of the company (Company Law art. 233).
    SHAREHOLDER = "shareholder", _("Shareholder")


class Decision(models.TextChoices):
    ACCEPT = "accept", _("Accept the application")  # 裁定受理
    REJECT = "reject", _("Do not accept")  # 裁定不予受理


ALLOWED_APPLICANTS: dict[str, frozenset[str]] = {
    Procedure.LIQUIDATION: frozenset({ApplicantType.CREDITOR, ApplicantType.DEBTOR, ApplicantType.LIQUIDATOR}),
    # Creditor or debtor (EBL art. 70(1)); shareholders holding a tenth may apply only after acceptance.
    Procedure.REORGANISATION: frozenset({ApplicantType.CREDITOR, ApplicantType.DEBTOR}),
    # Only the debtor (EBL art. 95).
    Procedure.SETTLEMENT: frozenset({ApplicantType.DEBTOR}),
    Procedure.COMPULSORY_LIQUIDATION: frozenset(
        {ApplicantType.CREDITOR, ApplicantType.SHAREHOLDER, ApplicantType.LIQUIDATOR}
    ),
}
# The cause of action (案由) of the review case and of the accepted case; the review case's cause is how the
# procedure applied for is read back at the ruling.
APPLICATION_CAUSES: dict[str, str] = {
    Procedure.LIQUIDATION: "申请破产清算",
    Procedure.REORGANISATION: "申请破产重整",
    Procedure.SETTLEMENT: "申请破产和解",
    Procedure.COMPULSORY_LIQUIDATION: "申请公司强制清算",
}
ACCEPTED_CAUSES: dict[str, str] = {
    Procedure.LIQUIDATION: "破产清算",
    Procedure.REORGANISATION: "破产重整",
    Procedure.SETTLEMENT: "破产和解",
    Procedure.COMPULSORY_LIQUIDATION: "公司强制清算",
}
_PROCEDURE_NAMES: dict[str, str] = {
    Procedure.LIQUIDATION: "破产清算",
    Procedure.REORGANISATION: "重整",
    Procedure.SETTLEMENT: "和解",
    Procedure.COMPULSORY_LIQUIDATION: "强制清算",
}
_PROCEDURE_BY_CAUSE = {cause: procedure for procedure, cause in APPLICATION_CAUSES.items()}


def review_case_type(procedure: str) -> str:
    return (
        CaseType.LIQUIDATION_APPLICATION
        if procedure == Procedure.COMPULSORY_LIQUIDATION
        else CaseType.BANKRUPTCY_APPLICATION
    )


def accepted_case_type(procedure: str) -> str:
    return CaseType.LIQUIDATION if procedure == Procedure.COMPULSORY_LIQUIDATION else CaseType.BANKRUPTCY


# --- the intake look-up -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseCount:
    """A number of cases as the court's system shows it: exact up to 99, then "99+"."""

    count: int

    @property
    def label(self) -> str:
        return str(self.count) if self.count <= COUNT_CAP else f"{COUNT_CAP}+"


@dataclass(frozen=True)
class RelatedCase:
    case: Case
    roles: tuple[str, ...]
    visible: bool


@dataclass(frozen=True)
class CompanyCases:
    """Cases in which the company is a party and which are not concluded."""

    pending: CaseCount  # 在审: every type but enforcement
    enforcement: CaseCount  # 在执
    latest: tuple[RelatedCase, ...]  # the most recently filed, at most LISTED_CASES


def _company_party(credit_code: str, name: str) -> Q:
    match = Q()
    if credit_code:
        match |= Q(credit_code=credit_code)
    if name:
        match |= Q(name=name)
    return match


def company_cases(user: User, *, credit_code: str, name: str, exclude_case_id: uuid.UUID | None = None) -> CompanyCases:
    """Every pending and enforcement case of every court in which the company is a party (by credit code or by
    exact name). Court staff only: the counts cover courts whose cases the user cannot open, the list links
    only those the user can."""
    if not user.is_authenticated or not user.is_court_staff:
        raise NotFound("No such company")
    match = _company_party(normalise_identifier(credit_code), name.strip())
    if not match:
        return CompanyCases(CaseCount(0), CaseCount(0), ())
    cases = Case.objects.filter(
        Exists(Party.objects.filter(match, case=OuterRef("pk"))),
        status__in=[CaseStatus.PENDING, CaseStatus.OPEN],
    )
    if exclude_case_id is not None:
        cases = cases.exclude(pk=exclude_case_id)
    counts = cases.aggregate(
        pending=Count("pk", filter=~Q(case_type=CaseType.ENFORCEMENT)),
        enforcement=Count("pk", filter=Q(case_type=CaseType.ENFORCEMENT)),
    )
    latest = list(cases.select_related("court").order_by("-filed_on", "-year", "-sequence")[:LISTED_CASES])
    roles: dict[uuid.UUID, list[str]] = {}
    for party in Party.objects.filter(match, case__in=[case.pk for case in latest]).order_by("role"):
        label = str(party.get_role_display())
        if label not in roles.setdefault(party.case_id, []):
            roles[party.case_id].append(label)
    visible = set(cases_visible_to(user).filter(pk__in=[case.pk for case in latest]).values_list("pk", flat=True))
    return CompanyCases(
        pending=CaseCount(counts["pending"]),
        enforcement=CaseCount(counts["enforcement"]),
        latest=tuple(RelatedCase(case, tuple(roles.get(case.pk, ())), case.pk in visible) for case in latest),
    )


def open_insolvency_cases(user: User, *, credit_code: str) -> tuple[RelatedCase, ...]:
    """The company's bankruptcy and compulsory liquidation cases, and applications for them, that are not
    concluded, in every court: the company is their debtor (or respondent), or the applicant of a review case
    in which it applied for itself. A second application against a company in such a case is registered only
    with the clerk's reasons (issue 15.18). Court staff only; the list links only the cases the user can open."""
    if not user.is_authenticated or not user.is_court_staff:
        raise NotFound("No such company")
    code = normalise_identifier(credit_code)
    if not code:
        return ()
    subject = Party.objects.filter(
        case=OuterRef("pk"), credit_code=code, role__in=[PartyRole.DEBTOR, PartyRole.RESPONDENT]
    )
    # In a review case the debtor applied in, the company is the only party, as applicant.
    own_application = Party.objects.filter(case=OuterRef("pk"), credit_code=code, role=PartyRole.APPLICANT)
    company_named = Party.objects.filter(case=OuterRef("pk"), role__in=[PartyRole.DEBTOR, PartyRole.RESPONDENT])
    cases = list(
        Case.objects.filter(case_type__in=INSOLVENCY_CASE_TYPES, status__in=[CaseStatus.PENDING, CaseStatus.OPEN])
        .filter(
            Exists(subject) | (Q(case_type__in=REVIEW_CASE_TYPES) & Exists(own_application) & ~Exists(company_named))
        )
        .select_related("court")
        .order_by("-filed_on", "-year", "-sequence")
    )
    visible = set(cases_visible_to(user).filter(pk__in=[case.pk for case in cases]).values_list("pk", flat=True))
    return tuple(RelatedCase(case, (str(CaseType(case.case_type).label),), case.pk in visible) for case in cases)


@dataclass(frozen=True)
class IntakeResult:
    """What the intake screen shows for what the clerk typed."""

    query: str
    company: Company | None = None
    matches: tuple[CompanySummary, ...] = ()
    cases: CompanyCases | None = None
    unavailable: RegistryUnavailable | None = None
    # Open bankruptcy / compulsory liquidation cases and applications of the company (issue 15.18).
    insolvency: tuple[RelatedCase, ...] = ()

    @property
    def not_found(self) -> bool:
        return self.unavailable is None and self.company is None and not self.matches


def intake_lookup(user: User, query: str, *, registry: RegistryClient | None = None) -> IntakeResult:
    """Look the company up by credit code or name. One match (or an exact name) shows the company; several
    are listed to choose from. If the registry cannot be reached, a credit code still shows the cases."""
    if not user.is_authenticated or not user.is_court_staff:
        raise NotFound("No such company")
    query = query.strip()
    if not query:
        return IntakeResult(query="")
    registry = registry or get_registry()
    code = normalise_identifier(query)
    is_code = credit_code_problem(code) is None
    try:
        if is_code:
            company = registry.company(code)
            matches: tuple[CompanySummary, ...] = ()
        else:
            matches = tuple(registry.search(query))
            chosen = next((m for m in matches if m.name == query), None) or (matches[0] if len(matches) == 1 else None)
            company = registry.company(chosen.credit_code) if chosen else None
    except RegistryUnavailable as exc:
        cases = company_cases(user, credit_code=code, name="") if is_code else None
        insolvency = open_insolvency_cases(user, credit_code=code) if is_code else ()
        return IntakeResult(query=query, cases=cases, unavailable=exc, insolvency=insolvency)
    if company is None:
        cases = company_cases(user, credit_code=code, name="") if is_code else None
        insolvency = open_insolvency_cases(user, credit_code=code) if is_code else ()
        return IntakeResult(query=query, matches=matches, cases=cases, insolvency=insolvency)
    return IntakeResult(
        query=query,
        company=company,
        matches=matches,
        cases=company_cases(user, credit_code=company.credit_code, name=company.name),
        insolvency=open_insolvency_cases(user, credit_code=company.credit_code),
    )


# --- the review deadline -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewStep:
    label_zh: str
    label_en: str
    due_on: dt.date
    basis: LegalBasis
    holiday_data: bool
    calculation: str


@dataclass(frozen=True)
class ReviewDeadline:
    """When the court must rule on an application, step by step. The last step is the ruling."""

    steps: tuple[ReviewStep, ...]
    extension: str

    @property
    def rule_by(self) -> dt.date:
        return self.steps[-1].due_on

    @property
    def holiday_data(self) -> bool:
        return all(step.holiday_data for step in self.steps)


# The statutory periods for ruling on an application. smartcourt.rules has no anchor for the day an
# application is received, so they are computed here with its period rules (same counting, same calendar).
ART_10 = ebl(10, "十")
_EXTENSION = "有特殊情况需要延长的，经上一级人民法院批准，可以延长十五日（《中华人民共和国企业破产法》第十条第三款）"


def review_deadline(
    *, received_on: dt.date, adversarial: bool, calendar: RestDayCalendar | None = None
) -> ReviewDeadline:
    """The period for ruling on an application received on ``received_on`` (EBL art. 10).

    - The debtor applied (or those obliged to liquidate it): rule within 15 days of receipt (art. 10(2)).
    - A creditor applied: notify the debtor within 5 days of receipt; the debtor may object within 7 days of
      receiving the notice; rule within 10 days after the objection period ends (art. 10(1)). The dates
      shown assume the notice is received on the last day it may be sent, so they are the latest dates.

    Compulsory liquidation applications follow the same periods here, by analogy: the Company Law sets
    none, and the SPC's minutes on compulsory liquidation cases (法发〔2009〕52号) should be checked before
    relying on them.
    """
    calendar = calendar or current_calendar()

    def step(anchor: dt.date, days: int, zh: str, en: str) -> ReviewStep:
        result = period_end(anchor, Period(days, Unit.DAYS), calendar)
        return ReviewStep(zh, en, result.due_on, ART_10, result.holiday_data, result.basis)

    steps: tuple[ReviewStep, ...]
    if not adversarial:
        steps = (step(received_on, 15, "裁定是否受理", "Rule on acceptance"),)
    else:
        notify = step(received_on, 5, "通知债务人", "Notify the debtor")
        objection = step(notify.due_on, 7, "债务人异议期届满", "End of the debtor's objection period")
        ruling = step(objection.due_on, 10, "裁定是否受理", "Rule on acceptance")
        steps = (notify, objection, ruling)
    return ReviewDeadline(steps=steps, extension=_EXTENSION)


# --- registering an application -------------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    """An application as its review case records it."""

    case: Case
    procedure: str
    company: Party
    applicant: Party | None  # None when the debtor applied: the company is the applicant
    adversarial: bool  # a creditor or a shareholder applied against the company

    @property
    def procedure_label(self) -> str:
        return str(Procedure(self.procedure).label)

    def deadline(self, calendar: RestDayCalendar | None = None) -> ReviewDeadline:
        return review_deadline(received_on=self.case.filed_on, adversarial=self.adversarial, calendar=calendar)


def application_of(case: Case) -> Application:
    """Read the application back from its review case."""
    if case.case_type not in REVIEW_CASE_TYPES:
        raise NotFound("No such application")
    procedure = _PROCEDURE_BY_CAUSE.get(case.cause)
    if procedure is None:
        raise DomainError(f"{case.number}: the cause {case.cause!r} does not name a procedure", field="cause")
    parties = list(case.parties.order_by("created_at"))
    respondent = next((p for p in parties if p.role == PartyRole.RESPONDENT), None)
    debtor = next((p for p in parties if p.role == PartyRole.DEBTOR), None)
    applicants = [p for p in parties if p.role == PartyRole.APPLICANT]
    if respondent is not None or debtor is not None:
        company = respondent or debtor
        assert company is not None
        applicant = applicants[0] if applicants else None
    elif applicants:
        company, applicant = applicants[0], None
    else:
        raise DomainError(f"{case.number} records no company", field="parties")
    return Application(
        case=case, procedure=procedure, company=company, applicant=applicant, adversarial=respondent is not None
    )


def registry_text(company: Company, *, fetched_at: dt.datetime) -> bytes:
    """The registry record as the clerk saw it, filed with the application."""
    lines = [
        "工商登记信息（登记时自企业登记系统调取）",
        f"调取时间：{timezone.localtime(fetched_at):%Y-%m-%d %H:%M:%S}",
        f"企业名称：{company.name}",
        f"统一社会信用代码：{company.credit_code}",
        f"企业类型：{company.company_type}",
        f"法定代表人：{company.legal_representative}",
        f"注册资本：{fen_to_yuan(company.registered_capital_fen)}元",
        f"成立日期：{company.established_on.isoformat()}",
        f"住所：{company.address}",
        f"登记状态：{company.status}",
        f"登记机关：{company.registration_authority}",
        f"经营范围：{company.business_scope}",
        "股东及出资：",
        *(
            f"  {h.name}（{h.kind}）认缴{fen_to_yuan(h.subscribed_fen)}元，实缴{fen_to_yuan(h.paid_fen)}元，"
            f"持股{company.share_percent(h)}%"
            for h in company.shareholders
        ),
    ]
    return ("\n".join(lines) + "\n").encode()


def _check_applicant_type(procedure: str, applicant_type: str) -> None:
    """Who may apply for which procedure, as ALLOWED_APPLICANTS lists it."""
    if procedure not in ALLOWED_APPLICANTS:
        raise DomainError(f"unknown procedure {procedure!r}", field="procedure")
    if applicant_type not in ApplicantType.values:
        raise DomainError(f"unknown kind of applicant {applicant_type!r}", field="applicant_type")
    if applicant_type not in ALLOWED_APPLICANTS[procedure]:
        allowed = ", ".join(sorted(ALLOWED_APPLICANTS[procedure]))
        raise DomainError(
            f"a {applicant_type} cannot apply for {procedure}; who can: {allowed}", field="applicant_type"
        )


def _check_other_applicant(name: str, kind: str, credit_code: str, *, debtor_code: str) -> None:
    """An applicant other than the debtor: named, of a known kind, and not the debtor under another label."""
    if not name.strip():
        raise DomainError("name the applicant", field="applicant_name")
    if kind not in PartyKind.values:
        raise DomainError(f"unknown kind of party {kind!r}", field="applicant_kind")
    if kind == PartyKind.ORGANISATION and normalise_identifier(credit_code) == debtor_code:
        raise DomainError(
            "the company itself is the applicant: choose 'the debtor itself'", field="applicant_credit_code"
        )


def register_application(
    *,
    actor: User,
    procedure: str,
    credit_code: str,
    applicant_type: str,
    filed_on: dt.date,
    presiding_judge_id: uuid.UUID | str,
    applicant_name: str = "",
    applicant_kind: str = PartyKind.ORGANISATION,
    applicant_id_number: str = "",
    applicant_credit_code: str = "",
    duplicate_reason: str = "",
    registry: RegistryClient | None = None,
) -> Case:
    """Register an application against the company with ``credit_code`` as a review case (破申 or 强清申) of
    the clerk's court, docketed on ``filed_on``.

    The company is taken from the registry at this moment (never from what the form showed) and its record is
    filed into the review case's dossier. The registry is asked before the transaction opens, so that no
    database lock is held while it answers.

    If the company already has an open bankruptcy or compulsory liquidation case or application (in any
    court), the application is refused unless the clerk records in ``duplicate_reason`` why it is registered
    all the same (e.g. a reorganisation applied for in a pending liquidation, EBL art. 70(2)); the reasons and
    the open cases are kept in the audit event and the dossier."""
    if actor.role != Role.FILING_CLERK or actor.organisation is None or not actor.organisation.is_court:
        raise PermissionDenied("Only a filing clerk of the court registers applications")
    court = actor.organisation
    _check_applicant_type(procedure, applicant_type)
    if filed_on > timezone.localdate():
        raise DomainError("the filing date cannot be in the future", field="filed_on")
    duplicate_reason = duplicate_reason.strip()
    if len(duplicate_reason) > MAX_DUPLICATE_REASON:
        raise DomainError(
            gettext("At most %(count)s characters") % {"count": MAX_DUPLICATE_REASON}, field="duplicate_reason"
        )
    code = normalise_identifier(credit_code)
    problem = credit_code_problem(code)
    if problem:
        raise DomainError(f"Unified social credit code {code}: {problem}", field="credit_code")
    try:
        judge = User.objects.get(pk=presiding_judge_id, role=Role.JUDGE, organisation=court, is_active=True)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise DomainError("choose a judge of this court to preside", field="presiding_judge") from exc
    if applicant_type != ApplicantType.DEBTOR:
        _check_other_applicant(applicant_name, applicant_kind, applicant_credit_code, debtor_code=code)

    fetched_at = timezone.now()
    company = (registry or get_registry()).company(code)
    if company is None:
        raise DomainError(f"the enterprise registry has no company with credit code {code}", field="credit_code")
    if company.deregistered:
        raise DomainError(
            f"{company.name} has been deregistered (注销) and no longer exists: no application lies against it",
            field="credit_code",
        )
    return _register(
        actor=actor,
        court=court,
        procedure=procedure,
        company=company,
        applicant_type=applicant_type,
        applicant_name=applicant_name.strip(),
        applicant_kind=applicant_kind,
        applicant_id_number=applicant_id_number,
        applicant_credit_code=applicant_credit_code,
        filed_on=filed_on,
        judge=judge,
        fetched_at=fetched_at,
        duplicate_reason=duplicate_reason,
    )


@transaction.atomic
def _register(
    *,
    actor: User,
    court: Organisation,
    procedure: str,
    company: Company,
    applicant_type: str,
    applicant_name: str,
    applicant_kind: str,
    applicant_id_number: str,
    applicant_credit_code: str,
    filed_on: dt.date,
    judge: User,
    fetched_at: dt.datetime,
    duplicate_reason: str,
) -> Case:
    # Checked inside the transaction that registers, so that what the clerk was shown is what is decided on.
    already = [item.case for item in open_insolvency_cases(actor, credit_code=company.credit_code)]
    if already and not duplicate_reason:
        raise Conflict(
            gettext(
                "%(company)s already has an open bankruptcy or liquidation case: %(numbers)s. Record why a "
                "further application is registered, or do not register it."
            )
            % {"company": company.name, "numbers": "、".join(case.number for case in already)},
            field="duplicate_reason",
            code=BankruptcyError.DUPLICATE_APPLICATION,
        )
    known = Organisation.objects.filter(credit_code=company.credit_code).first()
    case = create_case(
        actor=actor,
        court=court,
        case_type=review_case_type(procedure),
        title=f"{company.name}{_PROCEDURE_NAMES[procedure]}申请审查案",
        cause=APPLICATION_CAUSES[procedure],
        filed_on=filed_on,
        presiding_judge=judge,
    )
    change_case_status(actor=actor, case_id=case.pk, to_status=CaseStatus.OPEN, on=filed_on, reason="立案登记")

    def add_company(role: str) -> Party:
        return add_party(
            actor=actor,
            case=case,
            role=role,
            kind=PartyKind.ORGANISATION,
            name=company.name,
            credit_code=company.credit_code,
            organisation=known,
            address=company.address,
        )

    if applicant_type == ApplicantType.DEBTOR:
        add_company(PartyRole.APPLICANT)
        applicant_label = company.name
    else:
        add_party(
            actor=actor,
            case=case,
            role=PartyRole.APPLICANT,
            kind=applicant_kind,
            name=applicant_name,
            id_number=applicant_id_number if applicant_kind == PartyKind.NATURAL_PERSON else "",
            credit_code=applicant_credit_code if applicant_kind == PartyKind.ORGANISATION else "",
        )
        # A creditor or a shareholder applies against the company; the person obliged to liquidate applies
        # for it. The role is how the ruling knows which review period runs.
        adversarial = applicant_type in {ApplicantType.CREDITOR, ApplicantType.SHAREHOLDER}
        add_company(PartyRole.RESPONDENT if adversarial else PartyRole.DEBTOR)
        applicant_label = applicant_name
    case.refresh_from_db()
    deadline = application_of(case).deadline()
    record_event(
        actor=actor,
        action="bankruptcy.application_registered",
        case_id=case.pk,
        obj=case,
        after={
            "number": case.number,
            "procedure": procedure,
            "applicant_type": applicant_type,
            "applicant": applicant_label,
            "company": company.name,
            "credit_code": company.credit_code,
            "registry_status": company.status,
            "registered_capital_fen": company.registered_capital_fen,
            "shareholders": len(company.shareholders),
            "filed_on": filed_on,
            "rule_by": deadline.rule_by,
            **({"open_cases": [c.number for c in already], "duplicate_reason": duplicate_reason} if already else {}),
        },
    )
    record_text = registry_text(company, fetched_at=fetched_at)
    if already:
        record_text += (
            f"登记时该企业已有未结破产（强制清算）案件：{'、'.join(c.number for c in already)}\n"
            f"登记人记录的理由：{duplicate_reason}\n"
        ).encode()
    file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.APPLICATION,
        title=f"{APPLICATION_CAUSES[procedure]}登记：申请人{applicant_label}，被申请企业{company.name}",
        content=record_text,
        filename=f"工商登记信息-{company.credit_code}.txt",
        content_type="text/plain",
        source=case,
    )
    return case


# --- the ruling --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ruling:
    review: Case
    decision: str
    accepted: Case | None
    late: bool


def _copy_company(actor: User, application: Application, case: Case) -> None:
    company = application.company
    add_party(
        actor=actor,
        case=case,
        role=PartyRole.DEBTOR,
        kind=PartyKind.ORGANISATION,
        name=company.name,
        credit_code=company.credit_code,
        organisation=company.organisation,
        address=company.address,
    )
    applicant = application.applicant
    if applicant is None:
        return
    role = (
        PartyRole.CREDITOR
        if application.adversarial and application.procedure != Procedure.COMPULSORY_LIQUIDATION
        else PartyRole.APPLICANT
    )
    add_party(
        actor=actor,
        case=case,
        role=role,
        kind=applicant.kind,
        name=applicant.name,
        id_number=applicant.id_number,
        credit_code=applicant.credit_code,
        organisation=applicant.organisation,
        address=applicant.address,
        phone=applicant.phone,
    )


@transaction.atomic
def rule_on_application(
    *, actor: User, case_id: uuid.UUID | str, decision: str, reasons: str, ruled_on: dt.date
) -> Ruling:
    """The judge's ruling on an application (EBL art. 10-12). Acceptance opens the 破 (or 强清) case with the
    review case as its origin and starts its proceeding; rejection needs reasons (art. 12). The review case
    is closed either way. A ruling after the statutory period is still a ruling: it is marked late."""
    review = get_case_for(actor, case_id)
    if review.case_type not in REVIEW_CASE_TYPES:
        raise NotFound("No such application")
    if not is_judge_of(actor, review):
        raise PermissionDenied("Only a judge sitting on the review case rules on the application")
    if decision not in Decision.values:
        raise DomainError(f"unknown decision {decision!r}", field="decision")
    reasons = reasons.strip()
    if decision == Decision.REJECT and not reasons:
        raise DomainError("a ruling not to accept gives its reasons (EBL art. 12)", field="reasons")
    if len(reasons) > MAX_REASONS:
        raise DomainError(f"the reasons are longer than {MAX_REASONS} characters", field="reasons")
    if review.status == CaseStatus.CLOSED:
        raise Conflict(f"{review.number} has been ruled on already")
    if ruled_on < review.filed_on or ruled_on > timezone.localdate():
        raise DomainError("the ruling date must lie between the filing and today", field="ruled_on")
    application = application_of(review)
    deadline = application.deadline()
    late = ruled_on > deadline.rule_by

    # Closing first: the compare-and-set on the status makes a second, concurrent ruling fail here. The status
    # row repeats the reasons as far as its column holds them, ending in "…" when it cannot: the ruling filed
    # below and its audit event keep them whole.
    verdict = "裁定受理" if decision == Decision.ACCEPT else "裁定不予受理"
    status_reason = fit(CaseStatusChange, "reason", f"{verdict}：{reasons}")
    review = change_case_status(
        actor=actor, case_id=review.pk, to_status=CaseStatus.CLOSED, on=ruled_on, reason=status_reason
    )
    accepted: Case | None = None
    if decision == Decision.ACCEPT:
        accepted = create_case(
            actor=actor,
            court=review.court,
            case_type=accepted_case_type(application.procedure),
            title=f"{application.company.name}{_PROCEDURE_NAMES[application.procedure]}案",
            cause=ACCEPTED_CAUSES[application.procedure],
            filed_on=ruled_on,
            presiding_judge=review.presiding_judge,
            origin=review,
        )
        accepted = change_case_status(actor=actor, case_id=accepted.pk, to_status=CaseStatus.OPEN, on=ruled_on)
        _copy_company(actor, application, accepted)
        for member in review.members.filter(
            role__in=[MemberRole.PANEL_JUDGE, MemberRole.JUDGE_ASSISTANT, MemberRole.CLERK], user__isnull=False
        ):
            add_member(actor=actor, case=accepted, role=member.role, user=member.user)
        open_proceeding(actor=actor, case=accepted, procedure=application.procedure, accepted_on=ruled_on)
    record_event(
        actor=actor,
        action="bankruptcy.application_ruled",
        case_id=review.pk,
        obj=review,
        after={
            "decision": decision,
            "reasons": reasons,
            "ruled_on": ruled_on,
            "rule_by": deadline.rule_by,
            "late": late,
            "accepted_case": accepted.number if accepted else None,
            "accepted_case_id": str(accepted.pk) if accepted else None,
        },
    )
    title = f"{verdict}：{application.company.name}{APPLICATION_CAUSES[application.procedure]}"
    text = f"{review.number}\n{title}\n裁定日期：{ruled_on.isoformat()}\n" + (f"理由：{reasons}\n" if reasons else "")
    if accepted is not None:
        text += f"受理案号：{accepted.number}\n"
    file_entry(
        actor=actor,
        case=review,
        kind=EntryKind.RULING,
        title=title,
        content=text.encode(),
        filename="ruling.txt",
        content_type="text/plain",
        source=review,
    )
    if accepted is not None:
        file_entry(
            actor=actor,
            case=accepted,
            kind=EntryKind.RULING,
            title=title,
            content=text.encode(),
            filename="ruling.txt",
            content_type="text/plain",
            source=review,
        )
    return Ruling(review=review, decision=decision, accepted=accepted, late=late)


# --- the appointment of the administrator ---------------------------------------------------------------


# As printed in the court's documents, whatever language the judge reads the pages in.
_METHOD_NAMES: dict[str, str] = {
    AppointmentMethod.JUDGE_CHOICE: "法院指定",
    AppointmentMethod.ROTATION: "轮候",
    AppointmentMethod.RANDOM_DRAW: "随机抽签",
}


@transaction.atomic
def appoint_administrator_for_case(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    method: str,
    firm_id: uuid.UUID | str | None = None,
    seed: str | None = None,
    grade: str | None = None,
    appointed_on: dt.date | None = None,
) -> Appointment:
    """Appoint the accepted case's administrator from the court's roster and record node N02 (C02), in one
    transaction: the appointment, the firm's membership of the case, the node and the dossier entry."""
    case = get_case_for(actor, case_id)
    firm = None
    if firm_id:
        firm = Organisation.objects.filter(pk=firm_id, kind=OrganisationKind.ADMINISTRATOR_FIRM).first()
        if firm is None:
            raise DomainError("no such administrator firm", field="firm")
    appointment = appoint_administrator(
        actor=actor, case=case, method=method, firm=firm, seed=seed, grade=grade, appointed_on=appointed_on
    )
    record_appointment(actor=actor, case=case, firm=appointment.firm, appointed_on=appointment.appointed_on)
    file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.DECISION,
        title=f"指定管理人决定：{appointment.firm.name}（{_METHOD_NAMES[appointment.method]}）",
        source=appointment,
    )
    return appointment
