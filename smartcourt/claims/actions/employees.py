"""Employee claims the administrator lists rather than declared (EBL art. 48), their publication and objections."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims import policies
from smartcourt.claims.actions._common import _amount, _reason
from smartcourt.claims.choices import CreditorSource, EmployeeObjectionStatus
from smartcourt.claims.errors import ClaimError
from smartcourt.claims.models import Creditor, EmployeeListPublication, EmployeeObjection
from smartcourt.claims.selectors import employee_lines_of, get_employee_line_for
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.identifiers import normalise_identifier
from smartcourt.core.lengths import fit
from smartcourt.core.lookups import get_or_not_found
from smartcourt.core.pdf import template_to_pdf
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind
from smartcourt.dossier.models import DossierEntry


@transaction.atomic
def publish_employee_list(*, actor: User, case_id: uuid.UUID | str) -> EmployeeListPublication:
    """The administrator publishes the employee-claims list; the notice (告示) is filed into the dossier."""
    case = get_case_for(actor, case_id)
    if not policies.can_review(actor, case):
        raise PermissionDenied(_("Only the administrator appointed on this case publishes the employee list"))
    lines = list(employee_lines_of(case))
    if not lines:
        raise Conflict(_("Import the employee list before publishing it"), code=ClaimError.NO_EMPLOYEE_LIST)
    total = sum(line.listed_principal_fen + line.listed_other_fen for line in lines)
    publication = EmployeeListPublication.objects.create(
        case=case, published_by=actor, lines=len(lines), total_fen=total
    )
    pdf = template_to_pdf(
        "claims/pdf/employee_list.html",
        {"case": case, "lines": lines, "total": total, "published_on": timezone.localdate()},
    )
    title = "告示（公布职工债权用）"
    entry = file_entry(
        actor=actor,
        case=case,
        kind=EntryKind.NOTICE,
        title=title,
        content=pdf,
        filename=f"{title}.pdf",
        source=publication,
    )
    EmployeeListPublication.objects.filter(pk=publication.pk).update(entry=entry)
    publication.entry = entry
    record_event(
        actor=actor,
        action="claims.employee_list_published",
        case_id=case.pk,
        obj=publication,
        after={"lines": len(lines), "total_fen": total},
    )
    return publication


@transaction.atomic
def link_employee_line(*, actor: User, case_id: uuid.UUID | str, identifier: str) -> Creditor:
    """An employee finds his line of the published list: his identity number and his account's phone must both
    match the line. Any mismatch looks the same, so the list cannot be probed for who is on it."""
    case = get_case_for(actor, case_id)
    if not policies.can_declare(actor, case):
        raise PermissionDenied(_("Only an employee with a creditor account finds his line"))
    if not EmployeeListPublication.objects.filter(case=case).exists():
        raise NotFound(_("The employee list is not published yet"))
    normalised = normalise_identifier(identifier)
    line = (
        Creditor.objects.select_for_update()
        .filter(case=case, source=CreditorSource.EMPLOYEE_LIST, identifier=normalised)
        .first()
    )
    phone = (actor.phone or "").strip()
    if line is None or not phone or line.phone != phone or line.user_id not in {None, actor.pk}:
        raise NotFound(_("No line of the published list matches your identity number and phone"))
    if line.user_id is None:
        Creditor.objects.filter(pk=line.pk).update(user=actor, updated_at=timezone.now())
        line.user = actor
        record_event(actor=actor, action="claims.employee_line_linked", case_id=case.pk, obj=line)
    return line


@transaction.atomic
def object_to_employee_line(
    *, actor: User, creditor_id: uuid.UUID | str, reasons: str, claimed: str = ""
) -> EmployeeObjection:
    line = get_employee_line_for(actor, creditor_id)
    if line.user_id != actor.pk:
        raise PermissionDenied(_("Only the employee objects to his own line"))
    line = Creditor.objects.select_for_update().get(pk=line.pk)
    if EmployeeObjection.objects.filter(creditor=line, status=EmployeeObjectionStatus.OPEN).exists():
        raise Conflict(_("Your previous objection is still awaiting its answer"), code=ClaimError.OBJECTION_OPEN)
    text = _reason(reasons, field="reasons")
    if not text:
        raise DomainError(_("Give the reasons of the objection"), field="reasons")
    claimed_fen = _amount(claimed, field="claimed") if claimed.strip() else None
    objection = EmployeeObjection.objects.create(creditor=line, raised_by=actor, reasons=text, claimed_fen=claimed_fen)
    record_event(
        actor=actor,
        action="claims.employee_objection_raised",
        case_id=line.case_id,
        obj=objection,
        after={"claimed_fen": claimed_fen},
    )
    return objection


@transaction.atomic
def answer_employee_objection(
    *,
    actor: User,
    objection_id: uuid.UUID | str,
    answer: str,
    corrected_wages: str = "",
    corrected_other: str = "",
    expected_version: int | None = None,
) -> EmployeeObjection:
    """The administrator answers with reasons; if he agrees, the line is corrected in the same act."""
    objection = get_or_not_found(
        EmployeeObjection.objects.select_related("creditor__case"), _("No such objection"), pk=objection_id
    )
    line = get_employee_line_for(actor, objection.creditor_id)
    if not policies.can_review(actor, line.case):
        raise PermissionDenied(_("Only the administrator appointed on this case answers objections"))
    if expected_version is not None and expected_version != objection.version:
        raise Conflict(_("Somebody else changed this objection first; reload it"), code=ClaimError.STALE)
    text = _reason(answer, field="answer")
    if not text:
        raise DomainError(_("Give the reasons of the answer"), field="answer")
    corrected = bool(corrected_wages.strip() or corrected_other.strip())
    before = {"wages_fen": line.listed_principal_fen, "other_fen": line.listed_other_fen}
    updated = EmployeeObjection.objects.filter(
        pk=objection.pk, status=EmployeeObjectionStatus.OPEN, version=objection.version
    ).update(
        status=EmployeeObjectionStatus.ANSWERED,
        answer=text,
        corrected=corrected,
        answered_by=actor,
        answered_at=timezone.now(),
        version=objection.version + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:
        raise Conflict(_("This objection was already answered"), code=ClaimError.BAD_TRANSITION)
    if corrected:
        wages = (
            _amount(corrected_wages, field="corrected_wages") if corrected_wages.strip() else line.listed_principal_fen
        )
        other = _amount(corrected_other, field="corrected_other") if corrected_other.strip() else line.listed_other_fen
        Creditor.objects.filter(pk=line.pk).update(
            listed_principal_fen=wages, listed_other_fen=other, updated_at=timezone.now()
        )
        line.listed_principal_fen, line.listed_other_fen = wages, other
    objection.refresh_from_db()
    pdf = template_to_pdf(
        "claims/pdf/employee_answer.html", {"case": line.case, "line": line, "objection": objection, "before": before}
    )
    title = fit(DossierEntry, "title", f"通知书（回复职工债权异议用）{line.name}")
    entry = file_entry(
        actor=actor,
        case=line.case,
        kind=EntryKind.NOTICE,
        title=title,
        content=pdf,
        filename="回复职工债权异议.pdf",
        source=objection,
    )
    record_event(
        actor=actor,
        action="claims.employee_objection_answered",
        case_id=line.case_id,
        obj=objection,
        before=before,
        after={
            "corrected": corrected,
            "wages_fen": line.listed_principal_fen,
            "other_fen": line.listed_other_fen,
            "entry": entry.number,
        },
    )
    return objection
