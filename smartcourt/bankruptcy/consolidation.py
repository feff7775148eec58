"""Merged bankruptcy (合并破产, substantive consolidation) of related debtors, issue 15.20.

No statute governs it; the SPC's Minutes of the National Courts' Bankruptcy Trial Work Conference
(《全国法院破产审判工作会议纪要》, 法〔2018〕53号) do, paras. 32-37:

- para. 32: separate proceedings are the rule; the court may consolidate related debtors whose legal
  personalities are highly mixed, where telling their property apart costs too much and would seriously harm
  the creditors' fair payment;
- para. 33: the court hears the interested parties and rules on consolidation (with its reasons);
- para. 34: an interested party may ask the court at the next level up to reconsider within 15 days of the
  ruling's service;
- para. 36: the members' claims against one another are extinguished, their property is one estate, and all
  their creditors are paid from it in one proceeding in the statutory order;
- para. 37: after a consolidated liquidation ends, every member is deregistered.

Here: ``rule_consolidation`` (the judge of the lead case) consolidates the lead debtor with related debtors
into the lead case's proceeding, with reasons, fetching and filing each debtor's registry record and adding
each member as a debtor of the lead case, so that the claims table and the distributions of the lead case are
the combined ones; ``end_member_case`` ends a member's own bankruptcy case once its claims are moved into the
lead case (claims.actions.take_over_member_claims moves them and calls it, in one transaction: para. 36's one
proceeding); ``record_deregistration`` records each debtor's deregistration (the administrator)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import Organisation, User
from smartcourt.audit.actions import record_event
from smartcourt.bankruptcy.acceptance import registry_text
from smartcourt.bankruptcy.choices import (
    RECONSIDERATION_TRANSITIONS,
    MemberFate,
    Procedure,
    ProceedingStatus,
    ReconsiderationOutcome,
)
from smartcourt.bankruptcy.errors import BankruptcyError
from smartcourt.bankruptcy.models import ConsolidatedDebtor, Consolidation, ConsolidationReconsideration, Proceeding
from smartcourt.cases.actions import add_party
from smartcourt.cases.choices import CaseStatus, CaseType, PartyKind, PartyRole
from smartcourt.cases.models import Case, Party
from smartcourt.cases.policies import is_appointed_administrator, is_judge_of
from smartcourt.cases.selectors import get_case_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.identifiers import credit_code_problem, normalise_identifier
from smartcourt.core.lengths import fit
from smartcourt.core.uploads import UploadedFileLike, checked_upload
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry
from smartcourt.registry.client import Company, RegistryClient, get_registry
from smartcourt.rules.calendar import current_calendar
from smartcourt.rules.periods import Period, Unit, period_end

MAX_REASONS = 4000
MAX_MEMBERS = 50
MINUTES = "《全国法院破产审判工作会议纪要》（法〔2018〕53号）"


@dataclass(frozen=True)
class _Fetched:
    company: Company
    fetched_at: dt.datetime


def _lead_debtor(case: Case) -> Party:
    debtor = case.parties.filter(role=PartyRole.DEBTOR).order_by("created_at").first()
    if debtor is None or not debtor.credit_code:
        raise DomainError(_("The lead case records no debtor with a credit code"), field="case")
    return debtor


def _codes(credit_codes: list[str], lead_code: str) -> list[str]:
    codes: list[str] = []
    for raw in credit_codes:
        code = normalise_identifier(raw)
        if not code:
            continue
        problem = credit_code_problem(code)
        if problem:
            raise DomainError(f"{code}: {problem}", field="credit_codes")
        if code == lead_code:
            raise DomainError(
                _("The lead debtor is consolidated already; name the related debtors"), field="credit_codes"
            )
        if code in codes:
            raise DomainError(_("%(code)s is named twice") % {"code": code}, field="credit_codes")
        codes.append(code)
    if not codes:
        raise DomainError(_("Name at least one related debtor to consolidate"), field="credit_codes")
    if len(codes) > MAX_MEMBERS:
        raise DomainError(_("At most %(count)s related debtors") % {"count": MAX_MEMBERS}, field="credit_codes")
    return codes


def rule_consolidation(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    credit_codes: list[str],
    reasons: str,
    ruled_on: dt.date,
    registry: RegistryClient | None = None,
) -> Consolidation:
    """The judge of the lead case rules that the related debtors with ``credit_codes`` are administered with
    the lead debtor in its proceeding (Minutes paras. 32-33). The registry is asked before the transaction
    opens; a debtor the registry does not know, or that is deregistered, is refused."""
    case = get_case_for(actor, case_id)
    if case.case_type != CaseType.BANKRUPTCY:
        raise DomainError(_("Only a bankruptcy case is consolidated"), field="case")
    if not is_judge_of(actor, case):
        raise PermissionDenied(_("Only a judge sitting on the case rules on consolidation"))
    reasons = reasons.strip()
    if not reasons:
        raise DomainError(_("A ruling to consolidate gives its reasons"), field="reasons")
    if len(reasons) > MAX_REASONS:
        raise DomainError(_("At most %(count)s characters") % {"count": MAX_REASONS}, field="reasons")
    if ruled_on < case.filed_on or ruled_on > timezone.localdate():
        raise DomainError(_("The ruling date must lie between the filing and today"), field="ruled_on")
    lead = _lead_debtor(case)
    codes = _codes(credit_codes, lead.credit_code)
    client = registry or get_registry()
    fetched: list[_Fetched] = []
    for code in [lead.credit_code, *codes]:
        at = timezone.now()
        company = client.company(code)
        if company is None:
            raise DomainError(
                _("The enterprise registry has no company with credit code %(code)s") % {"code": code},
                field="credit_codes",
            )
        if company.deregistered:
            raise DomainError(
                _("%(name)s is deregistered and no longer exists") % {"name": company.name}, field="credit_codes"
            )
        fetched.append(_Fetched(company, at))
    return _consolidate(actor=actor, case=case, fetched=fetched, reasons=reasons, ruled_on=ruled_on)


def reconsideration_notice(case: Case) -> str:
    """The ruling's notice of the right to reconsideration (Minutes para. 34), naming the court at the next level
    up from the court hierarchy."""
    higher = case.court.parent.name if case.court.parent_id and case.court.parent else "上一级人民法院"
    return f"相关利害关系人对本裁定不服的，可以自裁定书送达之日起十五日内向{higher}申请复议（{MINUTES}第34条）。"


def _ruling_title(fetched: list[_Fetched]) -> str:
    title = "实质合并审理裁定：" + "、".join(item.company.name for item in fetched)
    # A dossier title holds 200 characters: a long list is named by its lead and its count instead of cut.
    if len(title) > 200:
        title = f"实质合并审理裁定：{fetched[0].company.name}等{len(fetched)}家企业"
    return title


@transaction.atomic
def _consolidate(*, actor: User, case: Case, fetched: list[_Fetched], reasons: str, ruled_on: dt.date) -> Consolidation:
    proceeding = Proceeding.objects.select_for_update().filter(case=case).first()
    if proceeding is None or proceeding.status != ProceedingStatus.OPEN:
        raise Conflict(_("The case has no open proceeding to consolidate into"), field="case")
    if Consolidation.objects.filter(case=case).exists():
        raise Conflict(_("The case is consolidated already"), code=BankruptcyError.ALREADY_CONSOLIDATED)
    names = "、".join(item.company.name for item in fetched)
    text = (
        f"{case.number}\n实质合并审理裁定\n裁定日期：{ruled_on.isoformat()}\n"
        f"合并审理的关联企业：{names}\n理由：{reasons}\n"
        f"依据：{MINUTES}第32至37条。各关联企业成员之间的债权债务归于消灭，各成员的财产作为合并后统一的破产财产，"
        "由各成员的债权人在同一程序中按照法定顺序公平受偿。\n"
        f"{reconsideration_notice(case)}\n"
    )
    ruling = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.RULING,
        title=_ruling_title(fetched),
        content=text.encode(),
        filename="consolidation-ruling.txt",
        content_type="text/plain",
    )
    consolidation = Consolidation.objects.create(
        case=case, ruled_on=ruled_on, reasons=reasons, ruled_by=actor, ruling_entry=ruling
    )
    members: list[dict[str, object]] = []
    for position, item in enumerate(fetched, start=1):
        company = item.company
        entry = file_entry(
            actor=actor,
            case=case,
            kind=EntryKind.ATTACHMENT,
            title=f"工商登记信息：{company.name}（合并破产成员）",
            content=registry_text(company, fetched_at=item.fetched_at),
            filename=f"工商登记信息-{company.credit_code}.txt",
            content_type="text/plain",
            source=consolidation,
        )
        merged = None
        if position > 1:
            if not case.parties.filter(role=PartyRole.DEBTOR, credit_code=company.credit_code).exists():
                add_party(
                    actor=actor,
                    case=case,
                    role=PartyRole.DEBTOR,
                    kind=PartyKind.ORGANISATION,
                    name=company.name,
                    credit_code=company.credit_code,
                    organisation=Organisation.objects.filter(credit_code=company.credit_code).first(),
                    address=company.address,
                )
            # The member's own bankruptcy case, if it has one open: administered from now on in the lead case.
            merged = (
                Case.objects.filter(
                    Exists(
                        Party.objects.filter(
                            case=OuterRef("pk"), role=PartyRole.DEBTOR, credit_code=company.credit_code
                        )
                    ),
                    case_type=CaseType.BANKRUPTCY,
                    status__in=[CaseStatus.PENDING, CaseStatus.OPEN],
                )
                .exclude(pk=case.pk)
                .order_by("filed_on")
                .first()
            )
        ConsolidatedDebtor.objects.create(
            consolidation=consolidation,
            position=position,
            name=company.name,
            credit_code=company.credit_code,
            address=company.address,
            registration_authority=company.registration_authority,
            registry_entry=entry,
            merged_case=merged,
        )
        members.append(
            {
                "name": company.name,
                "credit_code": company.credit_code,
                "registry_status": company.status,
                "merged_case": merged.number if merged else None,
            }
        )
    record_event(
        actor=actor,
        action="bankruptcy.consolidated",
        case_id=case.pk,
        obj=consolidation,
        after={"ruled_on": ruled_on, "reasons": reasons, "debtors": members, "ruling_entry": ruling.number},
    )
    return consolidation


@transaction.atomic
def record_deregistration(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    credit_code: str,
    deregistered_on: dt.date,
    upload: UploadedFileLike,
) -> ConsolidatedDebtor:
    """The administrator records that one debtor of the consolidated proceeding has been deregistered at its
    registration authority, with the proof (Minutes para. 37; EBL art. 121 for the procedure)."""
    case = get_case_for(actor, case_id)
    if not is_appointed_administrator(actor, case):
        raise PermissionDenied(_("Only the administrator appointed on the case records deregistration"))
    consolidation = Consolidation.objects.filter(case=case).first()
    if consolidation is None:
        raise DomainError(_("The case is not consolidated"), field="case")
    code = normalise_identifier(credit_code)
    debtor = (
        ConsolidatedDebtor.objects.select_for_update().filter(consolidation=consolidation, credit_code=code).first()
    )
    if debtor is None:
        raise DomainError(
            _("No debtor of this proceeding has credit code %(code)s") % {"code": code}, field="credit_code"
        )
    if debtor.deregistered_on is not None:
        raise Conflict(_("%(name)s's deregistration is recorded already") % {"name": debtor.name})
    if deregistered_on < consolidation.ruled_on or deregistered_on > timezone.localdate():
        raise DomainError(_("The deregistration date must lie between the ruling and today"), field="deregistered_on")
    checked = checked_upload(upload)
    entry = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.ATTACHMENT,
        title=fit(DossierEntry, "title", f"注销登记证明：{debtor.name}"),
        content=checked.content,
        filename=checked.name,
        content_type=checked.content_type,
        source=consolidation,
    )
    ConsolidatedDebtor.objects.filter(pk=debtor.pk).update(
        deregistered_on=deregistered_on, deregistration_entry=entry, updated_at=timezone.now()
    )
    debtor.refresh_from_db()
    record_event(
        actor=actor,
        action="bankruptcy.debtor_deregistered",
        case_id=case.pk,
        obj=debtor,
        after={"name": debtor.name, "credit_code": debtor.credit_code, "deregistered_on": deregistered_on},
    )
    return debtor


def end_member_case(
    *, actor: User, member: ConsolidatedDebtor, lead: Case, claims: int, creditors: int
) -> ConsolidatedDebtor:
    """End the member debtor's own bankruptcy case, whose claims (``claims`` of ``creditors`` creditors) have
    just been moved into the lead case: its open nodes are cancelled, its proceeding ends and the case is closed,
    each with its own audit event, and the lead case records the take-over. Called inside the transaction of
    claims.actions.take_over_member_claims, which has locked ``member``."""
    from smartcourt.bankruptcy.actions._common import _close
    from smartcourt.cases.actions import change_case_status

    merged = member.merged_case
    if merged is None:
        raise DomainError(_("%(name)s has no bankruptcy case of its own") % {"name": member.name}, field="member")
    today = timezone.localdate()
    proceeding = Proceeding.objects.select_for_update().filter(case=merged).first()
    if proceeding is not None and proceeding.status == ProceedingStatus.OPEN:
        _close(proceeding, case=merged, actor=actor, closed_by=None, taken_over_by=lead.number)
    if merged.status != CaseStatus.CLOSED:
        change_case_status(
            actor=actor,
            case_id=merged.pk,
            to_status=CaseStatus.CLOSED,
            on=today,
            reason=f"实质合并审理：债权已移入{lead.number}，依{MINUTES}第36条在同一程序中审理",
        )
    ConsolidatedDebtor.objects.filter(pk=member.pk).update(claims_taken_over_on=today, updated_at=timezone.now())
    member.refresh_from_db()
    record_event(
        actor=actor,
        action="bankruptcy.member_case_taken_over",
        case_id=lead.pk,
        obj=member,
        after={
            "name": member.name,
            "credit_code": member.credit_code,
            "merged_case": merged.number,
            "claims": claims,
            "creditors": creditors,
            "taken_over_on": today,
        },
    )
    return member


# --- reconsideration (Minutes para. 34) ---------------------------------------------------------------------

RECONSIDERATION_PERIOD = Period(15, Unit.DAYS)  # Minutes para. 34: 15 days from the ruling's service
MAX_APPLICANT = 200
MAX_REFERENCE = 100


def _judged_consolidation(actor: User, case_id: uuid.UUID | str) -> tuple[Case, Consolidation]:
    case = get_case_for(actor, case_id)
    if not is_judge_of(actor, case):
        raise PermissionDenied(_("Only a judge sitting on the case records the consolidation's service and review"))
    consolidation = Consolidation.objects.select_for_update().filter(case=case).first()
    if consolidation is None:
        raise DomainError(_("The case is not consolidated"), field="case")
    return case, consolidation


@transaction.atomic
def record_ruling_service(*, actor: User, case_id: uuid.UUID | str, served_on: dt.date) -> Consolidation:
    """The ruling to consolidate was served on the interested parties on ``served_on``: the 15 days in which
    they may apply to the court at the next level up for reconsideration run from it (Minutes para. 34), the
    last day moved past rest days as for every period of the Civil Procedure Law (art. 85)."""
    case, consolidation = _judged_consolidation(actor, case_id)
    if consolidation.served_on is not None:
        raise Conflict(_("The ruling's service is recorded already"), code=BankruptcyError.SERVED_ALREADY)
    if served_on < consolidation.ruled_on or served_on > timezone.localdate():
        raise DomainError(_("The service date must lie between the ruling and today"), field="served_on")
    period = period_end(served_on, RECONSIDERATION_PERIOD, current_calendar())
    Consolidation.objects.filter(pk=consolidation.pk).update(
        served_on=served_on, reconsideration_ends_on=period.due_on, updated_at=timezone.now()
    )
    consolidation.refresh_from_db()
    record_event(
        actor=actor,
        action="bankruptcy.consolidation_served",
        case_id=case.pk,
        obj=consolidation,
        after={"served_on": served_on, "reconsideration_ends_on": period.due_on, "basis": period.basis},
    )
    return consolidation


@transaction.atomic
def record_reconsideration_application(
    *, actor: User, case_id: uuid.UUID | str, applicant: str, filed_on: dt.date
) -> ConsolidationReconsideration:
    """An interested party applied to the court at the next level up for reconsideration of the ruling
    (Minutes para. 34). One made after the 15 days is recorded too, marked late: the higher court decides on it,
    not the lead court."""
    case, consolidation = _judged_consolidation(actor, case_id)
    applicant = applicant.strip()
    if not applicant:
        raise DomainError(_("Name the interested party who applied"), field="applicant")
    if len(applicant) > MAX_APPLICANT:
        raise DomainError(_("At most %(count)s characters") % {"count": MAX_APPLICANT}, field="applicant")
    if filed_on < consolidation.ruled_on or filed_on > timezone.localdate():
        raise DomainError(_("The application date must lie between the ruling and today"), field="filed_on")
    ends_on = consolidation.reconsideration_ends_on
    application = ConsolidationReconsideration.objects.create(
        consolidation=consolidation,
        applicant=applicant,
        filed_on=filed_on,
        late=ends_on is not None and filed_on > ends_on,
        recorded_by=actor,
    )
    record_event(
        actor=actor,
        action="bankruptcy.reconsideration_applied",
        case_id=case.pk,
        obj=application,
        after={"applicant": applicant, "filed_on": filed_on, "late": application.late},
    )
    return application


@transaction.atomic
def record_reconsideration_decision(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    reconsideration_id: uuid.UUID | str,
    outcome: str,
    decided_on: dt.date,
    reference: str,
) -> ConsolidationReconsideration:
    """The court at the next level up decided the application: the ruling upheld, or revoked (the debtors are
    then no longer administered as one, and no member's case is taken over)."""
    case, consolidation = _judged_consolidation(actor, case_id)
    application = (
        ConsolidationReconsideration.objects.select_for_update()
        .filter(pk=reconsideration_id, consolidation=consolidation)
        .first()
    )
    if application is None:
        raise NotFound(_("No such application for reconsideration"))
    if outcome not in RECONSIDERATION_TRANSITIONS[application.outcome]:
        raise Conflict(_("The higher court's decision is recorded already"), code=BankruptcyError.DECIDED_ALREADY)
    reference = reference.strip()
    if not reference or len(reference) > MAX_REFERENCE:
        raise DomainError(_("Give the higher court's decision number"), field="reference")
    if decided_on < application.filed_on or decided_on > timezone.localdate():
        raise DomainError(_("The decision date must lie between the application and today"), field="decided_on")
    changed = ConsolidationReconsideration.objects.filter(pk=application.pk, outcome=application.outcome).update(
        outcome=outcome, decided_on=decided_on, reference=reference, updated_at=timezone.now()
    )
    if changed != 1:  # pragma: no cover - the row is locked above
        raise Conflict(_("The higher court's decision is recorded already"), code=BankruptcyError.DECIDED_ALREADY)
    application.refresh_from_db()
    record_event(
        actor=actor,
        action="bankruptcy.reconsideration_decided",
        case_id=case.pk,
        obj=application,
        before={"outcome": ReconsiderationOutcome.PENDING},
        after={
            "applicant": application.applicant,
            "outcome": outcome,
            "decided_on": decided_on,
            "reference": reference,
        },
    )
    return application


# --- a consolidated reorganisation or settlement (Minutes paras. 36-37) --------------------------------------

UNITING_PROCEDURES = (Procedure.REORGANISATION, Procedure.SETTLEMENT)


@transaction.atomic
def record_plan_structure(
    *, actor: User, case_id: uuid.UUID | str, survivor: str, separate: list[str]
) -> Consolidation:
    """The administrator records what the one plan (reorganisation) or agreement (settlement) of the
    consolidated debtors does with each of them (Minutes para. 36: one plan, with one classification, adjustment
    and payment of all their claims; para. 37: in principle they become one enterprise, ``survivor``; one truly
    needed apart, in ``separate``, is handled under the rules on division of enterprises). Every other member is
    merged into the survivor and deregistered, which the plan's last node then waits for. Recorded again while
    the proceeding is open, if the plan changes."""
    case = get_case_for(actor, case_id)
    if not is_appointed_administrator(actor, case):
        raise PermissionDenied(_("Only the administrator appointed on the case records the plan's structure"))
    consolidation = Consolidation.objects.select_for_update().filter(case=case).first()
    if consolidation is None:
        raise DomainError(_("The case is not consolidated"), field="case")
    proceeding = Proceeding.objects.filter(case=case).first()
    if proceeding is None or proceeding.status != ProceedingStatus.OPEN or proceeding.branch not in UNITING_PROCEDURES:
        raise DomainError(
            _("Only an open reorganisation or settlement has a plan that unites the debtors"), field="case"
        )
    members = {
        m.credit_code: m for m in ConsolidatedDebtor.objects.select_for_update().filter(consolidation=consolidation)
    }
    survivor_code = normalise_identifier(survivor)
    if survivor_code not in members:
        raise DomainError(_("Name the consolidated debtor that continues"), field="survivor")
    separate_codes = {normalise_identifier(code) for code in separate if code.strip()}
    unknown = sorted(separate_codes - set(members))
    if unknown:
        raise DomainError(
            _("Not a debtor of this proceeding: %(codes)s") % {"codes": "、".join(unknown)}, field="separate"
        )
    if survivor_code in separate_codes:
        raise DomainError(_("The continuing debtor is not also kept separate"), field="separate")
    fates = {
        code: MemberFate.SURVIVOR
        if code == survivor_code
        else MemberFate.SEPARATE
        if code in separate_codes
        else MemberFate.MERGED
        for code in members
    }

    def summary(fate_of: dict[str, str]) -> dict[str, str]:
        # Names joined as the ruling writes them, so the timeline reads as a sentence, not as codes.
        return {
            fate: "、".join(members[code].name for code in members if fate_of.get(code) == fate)
            for fate in (MemberFate.SURVIVOR, MemberFate.MERGED, MemberFate.SEPARATE)
        }

    before = summary({code: member.plan_fate for code, member in members.items()})
    now = timezone.now()
    for code, fate in fates.items():
        ConsolidatedDebtor.objects.filter(pk=members[code].pk).update(plan_fate=fate, updated_at=now)
    record_event(
        actor=actor,
        action="bankruptcy.plan_structure_recorded",
        case_id=case.pk,
        obj=consolidation,
        before=before,
        after=summary({code: str(fate) for code, fate in fates.items()}),
    )
    return consolidation


def consolidation_of(case: Case) -> Consolidation | None:
    return Consolidation.objects.filter(case=case).prefetch_related("debtors__merged_case", "reconsiderations").first()


def underegistered(case: Case) -> list[str]:
    """The names of the consolidated debtors whose deregistration is not yet recorded (none if the case is
    not consolidated)."""
    return list(
        ConsolidatedDebtor.objects.filter(consolidation__case=case, deregistered_on__isnull=True)
        .order_by("position")
        .values_list("name", flat=True)
    )
