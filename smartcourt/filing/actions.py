"""Writes to online filings. Each function is one transaction with its audit event; its arguments are plain
and serialisable (UUIDs, strings, dates, lists of dicts), so that a filing made in the internet zone can be
applied in the court zone as a message (DESIGN.md §6).

Law: Civil Procedure Law (2023) art. 16 (online litigation with consent), 122-124 (conditions of suit and the
complaint's contents), 126 (docket within 7 days or rule not to accept; one-time notice of what is missing),
171 (appeal against a ruling within 10 days); the SPC's registration-based filing provisions (2015)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.audit.actions import record_event
from smartcourt.cases import actions as case_actions
from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole, PartyKind, PartyRole
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.identifiers import (
    credit_code_message,
    identity_number_message,
    normalise_identifier,
)
from smartcourt.core.lengths import fit
from smartcourt.core.lookups import get_or_not_found
from smartcourt.core.pdf import template_to_pdf
from smartcourt.core.uploads import DOCX, JPEG, PDF, PNG, UploadedFileLike, checked_upload
from smartcourt.documents import actions as document_actions
from smartcourt.documents.chinese import chinese_date
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.fees import actions as fee_actions
from smartcourt.fees.models import LitigationFee
from smartcourt.filing import crossing
from smartcourt.filing.assignment import ASSIGNED_EVENT, assign, record_of
from smartcourt.filing.choices import EDITABLE, FILING_TRANSITIONS, FilingPartyRole, FilingStatus, MaterialKind
from smartcourt.filing.models import (
    AssignmentRule,
    Filing,
    FilingMaterial,
    FilingParty,
    FilingStatusChange,
    JudgeAssignment,
)
from smartcourt.filing.selectors import get_filing_for
from smartcourt.filing.templates_seed import (
    ACCEPTANCE_NOTICE,
    FEE_NOTICE,
    WITHDRAWAL_RULING,
    ensure_filing_templates,
)
from smartcourt.rules.calendar import current_calendar
from smartcourt.rules.causes import cause_list, get_cause
from smartcourt.rules.litigation_fees.calculator import amount_to_fen
from smartcourt.rules.periods import Period, Unit, period_end

logger = logging.getLogger("smartcourt.filing")
DECISION_PERIOD = Period(7, Unit.DAYS)  # CPL art. 126
APPEAL_PERIOD = Period(10, Unit.DAYS)  # CPL art. 171, against a ruling
MAX_TEXT = 5000
MAX_PARTIES = 20
MAX_ITEMS = 20
_PARTY_ROLE_TO_CASE = {
    FilingPartyRole.PLAINTIFF: PartyRole.PLAINTIFF,
    FilingPartyRole.DEFENDANT: PartyRole.DEFENDANT,
    FilingPartyRole.THIRD_PARTY: PartyRole.THIRD_PARTY,
}


def _text(value: object, *, field: str, limit: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(_("This field is text"), field=field)
    value = value.strip()
    if len(value) > limit:
        raise DomainError(_("At most %(count)s characters") % {"count": limit}, field=field)
    if required and not value:
        raise DomainError(_("This field is required"), field=field)
    return value


def _check_party(index: int, raw: Mapping[str, Any]) -> dict[str, Any]:
    prefix = f"parties.{index}"
    role = raw.get("role")
    if role not in FilingPartyRole.values:
        raise DomainError(_("Choose the party's role"), field=f"{prefix}.role")
    kind = raw.get("kind")
    if kind not in PartyKind.values:
        raise DomainError(_("Choose a natural person or an organisation"), field=f"{prefix}.kind")
    name = _text(raw.get("name"), field=f"{prefix}.name", limit=200, required=True)
    id_number = normalise_identifier(_text(raw.get("id_number"), field=f"{prefix}.id_number", limit=18))
    credit_code = normalise_identifier(_text(raw.get("credit_code"), field=f"{prefix}.credit_code", limit=18))
    if kind == PartyKind.NATURAL_PERSON:
        if credit_code:
            raise DomainError(
                _("A natural person has an identity number, not a credit code"), field=f"{prefix}.credit_code"
            )
        if id_number and (problem := identity_number_message(id_number)):
            raise DomainError(
                _("Identity number %(number)s: %(problem)s") % {"number": id_number, "problem": problem},
                field=f"{prefix}.id_number",
            )
    else:
        if id_number:
            raise DomainError(
                _("An organisation has a credit code, not an identity number"), field=f"{prefix}.id_number"
            )
        if credit_code and (problem := credit_code_message(credit_code)):
            raise DomainError(
                _("Unified social credit code %(code)s: %(problem)s") % {"code": credit_code, "problem": problem},
                field=f"{prefix}.credit_code",
            )
    phone = _text(raw.get("phone"), field=f"{prefix}.phone", limit=20)
    if phone and not phone.replace("-", "").isdigit():
        raise DomainError(_("A phone number is digits"), field=f"{prefix}.phone")
    return {
        "role": role,
        "kind": kind,
        "name": name,
        "id_number": id_number,
        "credit_code": credit_code,
        "phone": phone,
        "address": _text(raw.get("address"), field=f"{prefix}.address", limit=300),
    }


def _transition(filing: Filing, to_status: str, *, actor: User, note: str = "", **updates: Any) -> None:
    if to_status not in FILING_TRANSITIONS[filing.status]:
        raise Conflict(
            _("The filing cannot go from “%(old)s” to “%(new)s”")
            % {"old": FilingStatus(filing.status).label, "new": FilingStatus(to_status).label},
            field="status",
        )
    changed = Filing.objects.filter(pk=filing.pk, status=filing.status).update(
        status=to_status, updated_at=timezone.now(), **updates
    )
    if changed != 1:
        raise Conflict(_("The filing was changed by someone else; reload and try again"))
    FilingStatusChange.objects.create(
        filing=filing,
        from_status=filing.status,
        to_status=to_status,
        changed_at=timezone.now(),
        changed_by=actor,
        note=note,
    )
    filing.refresh_from_db()
    # The other zone learns every change of status, in this transaction (nothing crosses in the single zone).
    crossing.send_state(actor=actor, filing=filing)


@transaction.atomic
def save_draft(
    *,
    actor: User,
    filing_id: uuid.UUID | str | None,
    court_id: uuid.UUID | str,
    cause_code: str = "",
    claims: str = "",
    amount: str | None = None,
    facts: str = "",
    consent_online: bool = False,
    parties: Sequence[Mapping[str, Any]] = (),
    practice_number: str = "",
    on_behalf_of: str = "",
) -> Filing:
    """Create or update a draft (or a filing sent back for correction). Whatever is given must be valid;
    what is missing is only checked when the filing is sent (``submit``)."""
    if actor.role not in (Role.PARTY, Role.FILING_CLERK):
        raise PermissionDenied(_("Only parties, lawyers and filing clerks file cases online"))
    try:
        court = Organisation.objects.get(pk=court_id, kind="court")
    except (Organisation.DoesNotExist, ValueError, DomainError) as exc:
        raise DomainError(_("Choose the court"), field="court") from exc
    on_behalf = actor.role == Role.FILING_CLERK
    if on_behalf and actor.organisation_id != court.pk:
        raise PermissionDenied(_("A clerk files on behalf of parties at his own court only"))
    on_behalf_of = _text(on_behalf_of, field="on_behalf_of", limit=200, required=on_behalf)
    cause = get_cause(cause_code) if cause_code else None
    amount_fen = amount_to_fen(amount.strip() or None if isinstance(amount, str) else amount)
    practice_number = _text(practice_number, field="practice_number", limit=17)
    if practice_number and not (practice_number.isdigit() and len(practice_number) == 17):
        raise DomainError(_("A practice certificate number is 17 digits"), field="practice_number")
    checked_parties = [_check_party(i, raw) for i, raw in enumerate(parties)]
    if len(checked_parties) > MAX_PARTIES:
        raise DomainError(_("At most %(count)s parties") % {"count": MAX_PARTIES}, field="parties")
    values = {
        "court": court,
        "cause_code": cause.code if cause else "",
        "cause_name": cause.name if cause else "",
        "cause_list_version": cause_list_version() if cause else "",
        "claims": _text(claims, field="claims", limit=MAX_TEXT),
        "amount_fen": amount_fen,
        "facts": _text(facts, field="facts", limit=MAX_TEXT),
        "consent_online": bool(consent_online),
        "practice_number": practice_number,
        "on_behalf_of": on_behalf_of,
        "on_behalf": on_behalf,
    }
    if filing_id is None:
        filing = Filing.objects.create(filer=actor, **values)
        created = True
    else:
        filing = get_filing_for(actor, filing_id)
        filing = Filing.objects.select_for_update().get(pk=filing.pk)
        if filing.filer_id != actor.pk:
            raise NotFound(_("No such filing"))
        if filing.status not in EDITABLE:
            raise Conflict(_("The court has this filing; it can no longer be changed"), field="status")
        for name, value in values.items():
            setattr(filing, name, value)
        filing.save()
        created = False
    filing.parties.all().delete()
    FilingParty.objects.bulk_create(
        [FilingParty(filing=filing, position=i, **party) for i, party in enumerate(checked_parties)]
    )
    record_event(
        actor=actor,
        action="filing.draft_saved",
        obj=filing,
        after={
            "created": created,
            "cause": filing.cause_code,
            "amount_fen": amount_fen,
            "parties": [(p["role"], p["name"]) for p in checked_parties],
            "on_behalf_of": on_behalf_of,
        },
    )
    return filing


def cause_list_version() -> str:
    from smartcourt.rules.causes import cause_list

    return cause_list().version


def missing_items(filing: Filing) -> list[tuple[str, str]]:
    """What a complaint must have before the court can take it (CPL art. 122-124), as (field, message)."""
    parties = list(filing.parties.all())
    missing: list[tuple[str, str]] = []
    if not any(p.role == FilingPartyRole.PLAINTIFF for p in parties):
        missing.append(("parties", _("Name at least one plaintiff")))
    if not any(p.role == FilingPartyRole.DEFENDANT for p in parties):
        missing.append(("parties", _("Name at least one defendant (CPL art. 122: a definite defendant)")))
    for p in parties:
        if p.role == FilingPartyRole.PLAINTIFF and p.kind == PartyKind.NATURAL_PERSON and not p.id_number:
            missing.append(("parties", _("Give the identity number of plaintiff %(name)s") % {"name": p.name}))
        if p.role == FilingPartyRole.PLAINTIFF and p.kind == PartyKind.ORGANISATION and not p.credit_code:
            missing.append(("parties", _("Give the credit code of plaintiff %(name)s") % {"name": p.name}))
    if not filing.cause_code:
        missing.append(("cause", _("Choose the cause of action")))
    if not filing.claims.strip():
        missing.append(("claims", _("State the claims")))
    if not filing.facts.strip():
        missing.append(("facts", _("State the facts and reasons")))
    if not filing.consent_online:
        missing.append(("consent_online", _("Consent to online litigation (CPL art. 16)")))
    if filing.cause_code and filing.amount_fen is None and get_cause(filing.cause_code).fee_kind == "property":
        missing.append(("amount", _("Give the amount in dispute")))
    return missing


def _signature(filing: Filing) -> tuple[Any, ...]:
    """Same parties and same claims: what makes two filings duplicates."""
    parties = sorted((p.role, p.id_number or p.credit_code or p.name) for p in filing.parties.all())
    return (filing.court_id, filing.cause_code, filing.amount_fen, " ".join(filing.claims.split()), tuple(parties))


@transaction.atomic
def submit(*, actor: User, filing_id: uuid.UUID | str) -> Filing:
    """Send the filing to the court. The court has received it from now: the 7-day period of CPL art. 126
    runs from today. Refused, with every missing item named, if the complaint is incomplete."""
    filing = get_filing_for(actor, filing_id)
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    if filing.filer_id != actor.pk:
        raise NotFound(_("No such filing"))
    missing = missing_items(filing)
    if missing:
        raise DomainError("；".join(message for _field, message in missing), field=missing[0][0])
    today = timezone.localdate()
    decide_by = period_end(today, DECISION_PERIOD, current_calendar()).due_on
    duplicate = next(
        (
            other
            for other in Filing.objects.filter(court=filing.court, cause_code=filing.cause_code)
            .exclude(pk=filing.pk)
            .exclude(status__in=[FilingStatus.DRAFT, FilingStatus.WITHDRAWN])
            .prefetch_related("parties")
            if _signature(other) == _signature(filing)
        ),
        None,
    )
    now = timezone.now()
    _transition(
        filing,
        FilingStatus.SUBMITTED,
        actor=actor,
        submitted_at=now,
        first_submitted_at=filing.first_submitted_at or now,
        decide_by=decide_by,
        duplicate_of=duplicate,
    )
    record_event(
        actor=actor,
        action="filing.submitted",
        obj=filing,
        after={"decide_by": decide_by, "duplicate_of": str(duplicate.pk) if duplicate else None},
    )
    return filing


@transaction.atomic
def withdraw(*, actor: User, filing_id: uuid.UUID | str) -> Filing:
    """The applicant withdraws the filing before the court reviews it."""
    filing = get_filing_for(actor, filing_id)
    if filing.filer_id != actor.pk:
        raise NotFound(_("No such filing"))
    if filing.status == FilingStatus.UNDER_REVIEW:
        raise Conflict(_("The court is reviewing this filing; it can no longer be withdrawn here"), field="status")
    _transition(filing, FilingStatus.WITHDRAWN, actor=actor)
    record_event(actor=actor, action="filing.withdrawn", obj=filing)
    return filing


def _clerk_filing(actor: User, filing_id: uuid.UUID | str) -> Filing:
    filing = get_filing_for(actor, filing_id)
    if actor.role != Role.FILING_CLERK or actor.organisation_id != filing.court_id:
        raise PermissionDenied(_("Only the court's filing clerks review filings"))
    return Filing.objects.select_for_update().get(pk=filing.pk)


@transaction.atomic
def start_review(*, actor: User, filing_id: uuid.UUID | str) -> Filing:
    filing = _clerk_filing(actor, filing_id)
    _transition(filing, FilingStatus.UNDER_REVIEW, actor=actor, reviewed_by=actor)
    record_event(actor=actor, action="filing.review_started", obj=filing)
    return filing


@transaction.atomic
def request_correction(*, actor: User, filing_id: uuid.UUID | str, items: Sequence[str], due_on: dt.date) -> Filing:
    """Ask for every missing item at once (the one-time notice of CPL art. 126 and the filing provisions)."""
    filing = _clerk_filing(actor, filing_id)
    cleaned = [_text(item, field="items", limit=300) for item in items]
    cleaned = [item for item in cleaned if item]
    if not cleaned:
        raise DomainError(_("List what is missing, one item per line"), field="items")
    if len(cleaned) > MAX_ITEMS:
        raise DomainError(_("At most %(count)s items") % {"count": MAX_ITEMS}, field="items")
    if due_on <= timezone.localdate():
        raise DomainError(_("The deadline to correct must be after today"), field="due_on")
    _transition(
        filing,
        FilingStatus.CORRECTION_REQUESTED,
        actor=actor,
        note="\n".join(cleaned),
        correction_items=cleaned,
        correction_due_on=due_on,
        reviewed_by=actor,
    )
    record_event(
        actor=actor, action="filing.correction_requested", obj=filing, after={"items": cleaned, "due_on": due_on}
    )
    return filing


@transaction.atomic
def rule_not_to_accept(*, actor: User, filing_id: uuid.UUID | str, reason: str) -> Filing:
    """A ruling not to accept (裁定不予受理, CPL art. 126), appealable within 10 days (art. 171)."""
    filing = _clerk_filing(actor, filing_id)
    reason = _text(reason, field="reason", limit=MAX_TEXT, required=True)
    appeal_by = period_end(timezone.localdate(), APPEAL_PERIOD, current_calendar()).due_on
    _transition(
        filing,
        FilingStatus.NOT_ACCEPTED,
        actor=actor,
        note=reason,
        ruling_reason=reason,
        appeal_by=appeal_by,
        reviewed_by=actor,
    )
    record_event(
        actor=actor, action="filing.not_accepted", obj=filing, after={"reason": reason, "appeal_by": appeal_by}
    )
    return filing


@transaction.atomic
def docket(
    *,
    actor: User,
    filing_id: uuid.UUID | str,
    presiding_judge_id: uuid.UUID | str | None = None,
    override_reason: str = "",
    seed: str = "",
) -> Filing:
    """Docket the filing: the case with the next gap-free number (cases), its parties, the filer on the
    case, the presiding judge by the court's assignment (its rule for the cause of action, else a recorded
    random draw; ``filing.assignment``), the fee computed with its calculation (fees), and the acceptance notice
    and the fee notice generated from the template library and sealed (documents) — all or nothing.

    ``presiding_judge_id``: the clerk's choice of another judge than the assignment gives, which needs
    ``override_reason`` and is recorded beside what the assignment gave. ``seed``: a draw's seed drawn in
    public (otherwise 32 random bytes)."""
    filing = _clerk_filing(actor, filing_id)
    if FilingStatus.DOCKETED not in FILING_TRANSITIONS[filing.status]:
        raise Conflict(_("Only a filing the court has received can be docketed"), field="status")
    cause = get_cause(filing.cause_code)
    seed = _text(seed, field="seed", limit=200)
    outcome = assign(filing.court, cause.part, seed=seed)
    judge = outcome.judge
    override_reason = _text(override_reason, field="override_reason", limit=MAX_TEXT)
    if presiding_judge_id not in (None, "") and str(presiding_judge_id) != str(outcome.judge.pk):
        try:
            judge = User.objects.get(
                pk=presiding_judge_id, role=Role.JUDGE, organisation_id=filing.court_id, is_active=True
            )
        except (User.DoesNotExist, ValueError, DomainError) as exc:
            raise DomainError(_("Choose a judge of this court"), field="presiding_judge") from exc
        if not override_reason:
            raise DomainError(
                _("Give the reasons for choosing another judge than the court's assignment"), field="override_reason"
            )
    else:
        override_reason = ""
    parties = list(filing.parties.all())
    plaintiffs = [p for p in parties if p.role == FilingPartyRole.PLAINTIFF]
    defendants = [p for p in parties if p.role == FilingPartyRole.DEFENDANT]
    if not plaintiffs or not defendants:
        raise DomainError(_("Name at least one defendant (CPL art. 122: a definite defendant)"), field="parties")
    today = timezone.localdate()
    case = case_actions.create_case(
        actor=actor,
        court=filing.court,
        case_type=CaseType.CIVIL_FIRST_INSTANCE,
        title=fit(Case, "title", f"{plaintiffs[0].name}诉{defendants[0].name}{cause.name}案"),
        filed_on=(filing.first_submitted_at or timezone.now()).astimezone(timezone.get_current_timezone()).date(),
        cause=cause.name,
        presiding_judge=judge,
    )
    for party in parties:
        case_actions.add_party(
            actor=actor,
            case=case,
            role=_PARTY_ROLE_TO_CASE[FilingPartyRole(party.role)],
            kind=party.kind,
            name=party.name,
            id_number=party.id_number,
            credit_code=party.credit_code,
            address=party.address,
            phone=party.phone,
        )
    if not filing.on_behalf:
        case_actions.add_member(
            actor=actor,
            case=case,
            role=MemberRole.AGENT if filing.practice_number else MemberRole.PARTY,
            user=filing.filer,
        )
    case_actions.change_case_status(actor=actor, case_id=case.pk, to_status=CaseStatus.OPEN, on=today)
    fee_actions.assess_fee(
        actor=actor,
        case_id=case.pk,
        payer_name=plaintiffs[0].name,
        payer_user_id=None if filing.on_behalf else filing.filer_id,
        kind=cause.fee_kind.value,
        amount_fen=filing.amount_fen if cause.fee_kind.value in {"property", "ip", "divorce", "personality"} else None,
        notified_on=today,
    )
    ensure_filing_templates()
    for key in (ACCEPTANCE_NOTICE, FEE_NOTICE):
        document = document_actions.generate_document(actor=actor, case_id=case.pk, template_key=key)
        document_actions.sign_document(actor=actor, document_id=document.pk)
    _file_materials(actor=actor, filing=filing, case_id=case.pk)
    _transition(filing, FilingStatus.DOCKETED, actor=actor, note=case.number, case=case, reviewed_by=actor)
    assignment = JudgeAssignment.objects.create(
        filing=filing,
        method=outcome.method,
        rule_part=outcome.rule_part,
        seed=outcome.seed,
        candidates=outcome.candidates,
        digest=outcome.digest,
        drawn_index=outcome.drawn_index,
        assigned_judge=outcome.judge,
        judge=judge,
        override_reason=override_reason,
        created_at=timezone.now(),
        created_by=actor,
    )
    record_event(actor=actor, action=ASSIGNED_EVENT, case_id=case.pk, obj=assignment, after=record_of(assignment))
    record_event(actor=actor, action="filing.docketed", case_id=case.pk, obj=filing, after={"number": case.number})
    return filing


@transaction.atomic
def set_assignment_rule(
    *, actor: User, court_id: uuid.UUID | str, cause_part: str, judge_id: uuid.UUID | str | None
) -> AssignmentRule | None:
    """The court administrator sets (or, with no judge, removes) the court's rule for one part of the cause
    list: filings of that part go to that judge; the others are drawn."""
    court = actor.organisation
    if not actor.is_active or actor.role != Role.COURT_ADMIN or court is None or str(court.pk) != str(court_id):
        raise PermissionDenied(_("The court administrator sets the court's assignment rules"))
    if cause_part not in cause_list().parts:
        raise DomainError(_("Choose a part of the cause-of-action list"), field="cause_part")
    rule = AssignmentRule.objects.select_for_update().filter(court=court, cause_part=cause_part).first()
    before = {"judge": str(rule.judge_id) if rule else None}
    if judge_id in (None, ""):
        if rule is None:
            return None
        rule.delete()
        rule = None
    else:
        try:
            judge = User.objects.get(pk=judge_id, role=Role.JUDGE, organisation=court, is_active=True)
        except (User.DoesNotExist, ValueError, DomainError) as exc:
            raise DomainError(_("Choose a judge of this court"), field="judge") from exc
        if rule is None:
            rule = AssignmentRule.objects.create(court=court, cause_part=cause_part, judge=judge, set_by=actor)
        else:
            rule.judge, rule.set_by = judge, actor
            rule.save(update_fields=["judge", "set_by", "updated_at"])
    record_event(
        actor=actor,
        action="filing.assignment_rule_set",
        obj=rule,
        before=before,
        after={"court": str(court.pk), "cause_part": cause_part, "judge": str(rule.judge_id) if rule else None},
    )
    return rule


# Why the case closed, in its status history (the ruling itself is in the dossier).
UNPAID_FEE_REASON = "按撤诉处理：原告未在交费期限内预交案件受理费（《诉讼费用交纳办法》第二十二条）"


@transaction.atomic
def rule_unpaid_fee_withdrawn(
    *, actor: User, fee_id: uuid.UUID | str, today: dt.date | None = None, by_job: bool = False
) -> Filing:
    """The plaintiff did not pay the case acceptance fee by the last day of the fee notice and no application
    for deferral, reduction or waiver awaits the judge: the case is handled as withdrawn (按撤诉处理; 诉讼费用交纳
    办法 art. 22, SPC interpretation of the CPL (2022) art. 213). In one transaction: the fee becomes overdue,
    the ruling is generated from the court's template and sealed, the case is closed with the reason, the
    filing records it; the ruling is served on the parties (the filer's inbox) once committed.

    The filing division decides it, as it issued the fee notice: a filing clerk of the court, or the case's
    presiding judge. ``by_job``: made by the daily job in the name of the clerk who docketed the case (as a
    delivery is made in the name of whoever asked for it), recorded as such."""
    today = today or timezone.localdate()
    try:
        fee = LitigationFee.objects.get(pk=fee_id)
        filing = Filing.objects.select_for_update().select_related("case", "court").get(case_id=fee.case_id)
    except (LitigationFee.DoesNotExist, Filing.DoesNotExist, ValueError, DomainError) as exc:
        raise NotFound(_("No such fee")) from exc
    case = filing.case
    assert case is not None
    clerk = actor.role == Role.FILING_CLERK and actor.organisation_id == filing.court_id
    if not (actor.is_active and (clerk or (actor.role == Role.JUDGE and case.presiding_judge_id == actor.pk))):
        raise PermissionDenied(_("The court's filing clerks or the presiding judge rule on an unpaid fee"))
    if filing.handled_as_withdrawn_on is not None:
        raise Conflict(_("The case has already been handled as withdrawn"), field="fee")
    fee = fee_actions.mark_overdue(actor=actor, fee_id=fee.pk, today=today)
    ensure_filing_templates()
    ruling = document_actions.generate_document(actor=actor, case_id=case.pk, template_key=WITHDRAWAL_RULING)
    ruling = document_actions.sign_document(actor=actor, document_id=ruling.pk)
    case_actions.change_case_status(
        actor=actor, case_id=case.pk, to_status=CaseStatus.CLOSED, on=today, reason=UNPAID_FEE_REASON
    )
    Filing.objects.filter(pk=filing.pk).update(
        handled_as_withdrawn_on=today, withdrawal_ruling=ruling, updated_at=timezone.now()
    )
    filing.refresh_from_db()
    record_event(
        actor=actor,
        action="filing.handled_as_withdrawn",
        case_id=case.pk,
        obj=filing,
        after={
            "fee": str(fee.pk),
            "due_on": fee.due_on,
            "fee_fen": fee.fee_fen,
            "ruling": str(ruling.pk),
            "ruling_sha256": ruling.signed_sha256,
            "by_job": by_job,
        },
    )
    actor_id, ruling_id = actor.pk, ruling.pk
    transaction.on_commit(lambda: _serve_ruling(actor_id=actor_id, document_id=ruling_id))
    return filing


def _serve_ruling(*, actor_id: uuid.UUID, document_id: uuid.UUID) -> None:
    """Serve the ruling on the parties (the filer's inbox, e-mail and SMS through the platform's service).
    A failure leaves the ruling standing: the deliveries page lists it for the clerk, and it is retried."""
    try:
        document_actions.serve_document(
            actor=User.objects.get(pk=actor_id), document_id=document_id, groups=["parties"]
        )
    except DomainError:
        logger.exception("the ruling %s could not be served; the clerk serves it from its page", document_id)


def ruling_actor(filing: Filing) -> User | None:
    """Whom the daily job acts for: the clerk who docketed the case and issued its fee notice, or, if he has
    left, another active filing clerk of the court."""
    if filing.reviewed_by is not None and filing.reviewed_by.is_active:
        return filing.reviewed_by
    return (
        User.objects.filter(role=Role.FILING_CLERK, organisation_id=filing.court_id, is_active=True)
        .order_by("username")
        .first()
    )


# SPC Online Litigation Rules (2021) arts. 11-14: materials sent online are electronic materials; evidence is
# kept as it was made (PDF or an image), a complaint may also come as the Word file it was written in.
MATERIAL_TYPES: dict[str, frozenset[str]] = {
    MaterialKind.COMPLAINT: frozenset({PDF, PNG, JPEG, DOCX}),
    MaterialKind.EVIDENCE: frozenset({PDF, PNG, JPEG}),
    MaterialKind.IDENTITY: frozenset({PDF, PNG, JPEG}),
}
MAX_MATERIALS = 30
# As the dossier prints them (a Chinese court document whatever the reader's language).
_MATERIAL_DOSSIER_NAMES = {
    MaterialKind.COMPLAINT: "起诉状",
    MaterialKind.EVIDENCE: "证据",
    MaterialKind.IDENTITY: "身份证明及授权材料",
}
_MATERIAL_ENTRY_KIND = {
    MaterialKind.COMPLAINT: EntryKind.APPLICATION,
    MaterialKind.EVIDENCE: EntryKind.ATTACHMENT,
    MaterialKind.IDENTITY: EntryKind.ATTACHMENT,
}


@transaction.atomic
def add_material(
    *, actor: User, filing_id: uuid.UUID | str, kind: str, title: str, upload: UploadedFileLike
) -> FilingMaterial:
    """Attach a file to a filing the applicant may still change. The bytes decide its type (core.uploads):
    a file that is not what its name says, empty, too large or of a type not accepted for its kind is refused
    with a message naming the file, and nothing is stored."""
    filing = get_filing_for(actor, filing_id)
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    if filing.filer_id != actor.pk:
        raise NotFound(_("No such filing"))
    if filing.status not in EDITABLE:
        raise Conflict(_("The court has this filing; it can no longer be changed"), field="status")
    if kind not in MaterialKind.values:
        raise DomainError(_("Choose what the file is"), field="kind")
    checked = checked_upload(upload, allowed=MATERIAL_TYPES[kind], field="file")
    title = _text(title, field="title", limit=100) or checked.name[:100]
    if filing.materials.count() >= MAX_MATERIALS:
        raise DomainError(_("At most %(count)s files") % {"count": MAX_MATERIALS}, field="file")
    if filing.materials.filter(sha256=checked.sha256).exists():
        raise Conflict(
            _("%(name)s: this file is already attached to the filing") % {"name": checked.name}, field="file"
        )
    material = FilingMaterial(
        filing=filing,
        kind=kind,
        title=title,
        file_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    # Every check is made before the file is written: a refused file leaves nothing behind.
    material.file.save(checked.name, ContentFile(checked.content), save=False)
    material.save()
    record_event(
        actor=actor,
        action="filing.material_added",
        obj=material,
        after={"filing": str(filing.pk), "kind": kind, "title": title, "file": checked.name, "sha256": checked.sha256},
    )
    return material


@transaction.atomic
def remove_material(*, actor: User, material_id: uuid.UUID | str) -> None:
    """The applicant takes a file off a filing he may still change."""
    material = get_or_not_found(FilingMaterial.objects.select_related("filing"), _("No such file"), pk=material_id)
    filing = get_filing_for(actor, material.filing_id)
    if filing.filer_id != actor.pk:
        raise NotFound(_("No such file"))
    if filing.status not in EDITABLE:
        raise Conflict(_("The court has this filing; it can no longer be changed"), field="status")
    name = material.file.name
    record_event(
        actor=actor,
        action="filing.material_removed",
        obj=material,
        after={"filing": str(filing.pk), "title": material.title, "sha256": material.sha256},
    )
    material.delete()
    transaction.on_commit(lambda: default_storage.delete(name))


def _file_materials(*, actor: User, filing: Filing, case_id: uuid.UUID) -> None:
    """On docketing, each material becomes an entry of the new case's dossier (and so a leaf of the evidence
    transparency log, like every dossier entry), checked first against the SHA-256 recorded at upload."""
    case = Case.objects.get(pk=case_id)
    for material in filing.materials.order_by("created_at"):
        with material.file.open("rb") as handle:
            content = handle.read()
        if hashlib.sha256(content).hexdigest() != material.sha256:
            raise Conflict(
                _("%(name)s: the stored file no longer matches its SHA-256") % {"name": material.file_name},
                field="materials",
            )
        entry = file_entry(
            actor=actor,
            case=case,
            kind=_MATERIAL_ENTRY_KIND[MaterialKind(material.kind)],
            title=f"{_MATERIAL_DOSSIER_NAMES[MaterialKind(material.kind)]}：{material.title}"[:200],
            content=content,
            filename=material.file_name,
            content_type=material.content_type,
            source=material,
            note="网上立案提交",
        )
        FilingMaterial.objects.filter(pk=material.pk).update(dossier_entry=entry, updated_at=timezone.now())


ELEMENT_COMPLAINT_NAME = "民事起诉状（要素式）.pdf"
_ROLE_NAMES = {
    FilingPartyRole.PLAINTIFF: "原告",
    FilingPartyRole.DEFENDANT: "被告",
    FilingPartyRole.THIRD_PARTY: "第三人",
}


@transaction.atomic
def generate_complaint(*, actor: User, filing_id: uuid.UUID | str) -> FilingMaterial:
    """The element-based complaint (要素式起诉状) as a PDF from the filing's answers — parties, cause, claims,
    amount, facts and reasons, the evidence list with each file's SHA-256 (CPL art. 124's contents) — attached
    as the filing's complaint, replacing the one generated before (the answers may have changed since).
    Refused, naming every missing item, while the answers are incomplete (CPL arts. 122-124)."""
    filing = get_filing_for(actor, filing_id)
    filing = Filing.objects.select_for_update().select_related("court", "filer").get(pk=filing.pk)
    if filing.filer_id != actor.pk:
        raise NotFound(_("No such filing"))
    if filing.status not in EDITABLE:
        raise Conflict(_("The court has this filing; it can no longer be changed"), field="status")
    missing = [(f, m) for f, m in missing_items(filing) if f != "consent_online"]
    if missing:
        raise DomainError("；".join(message for _field, message in missing), field=missing[0][0])
    parties = [
        {
            "role_name": _ROLE_NAMES[FilingPartyRole(p.role)],
            "name": p.name,
            "identifier": p.id_number or p.credit_code,
            "identifier_label": "公民身份号码" if p.id_number else "统一社会信用代码",
            "address": p.address,
            "phone": p.phone,
        }
        for p in filing.parties.all()
    ]
    pdf = template_to_pdf(
        "filing/pdf/element_complaint.html",
        {
            "filing": filing,
            "parties": parties,
            "plaintiffs": [p for p in filing.parties.all() if p.role == FilingPartyRole.PLAINTIFF],
            "evidence": filing.materials.filter(kind=MaterialKind.EVIDENCE).order_by("created_at"),
            "today_text": chinese_date(timezone.localdate()),
        },
    )
    previous = list(filing.materials.filter(generated=True))
    for old in previous:
        name = old.file.name
        old.delete()
        transaction.on_commit(lambda name=name: default_storage.delete(name))  # type: ignore[misc]
    material = FilingMaterial(
        filing=filing,
        kind=MaterialKind.COMPLAINT,
        title="民事起诉状（要素式）",
        file_name=ELEMENT_COMPLAINT_NAME,
        content_type=PDF,
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        uploaded_by=actor,
        generated=True,
    )
    material.file.save(ELEMENT_COMPLAINT_NAME, ContentFile(pdf), save=False)
    material.save()
    record_event(
        actor=actor,
        action="filing.complaint_generated",
        obj=material,
        after={"filing": str(filing.pk), "sha256": material.sha256, "replaced": [str(m.pk) for m in previous]},
    )
    return material
