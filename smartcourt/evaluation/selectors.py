"""Reads of evaluations, scoped to the user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.models import RosterEntry
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import NotFound
from smartcourt.evaluation.choices import Measure
from smartcourt.evaluation.models import Evaluation, Formula

EVENTS_SHOWN = 500


def evaluations_visible_to(user: User) -> QuerySet[Evaluation]:
    """Court staff: their court's evaluations; an administrator: his firm's; anyone else: none."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return Evaluation.objects.none()
    if user.is_court_staff:
        return Evaluation.objects.filter(court_id=user.organisation_id)
    if user.role == Role.ADMINISTRATOR:
        return Evaluation.objects.filter(firm_id=user.organisation_id)
    return Evaluation.objects.none()


def get_evaluation_for(user: User, evaluation_id: uuid.UUID | str) -> Evaluation:
    try:
        return (
            evaluations_visible_to(user).select_related("court", "firm", "formula", "computed_by").get(pk=evaluation_id)
        )
    except (Evaluation.DoesNotExist, ValueError) as exc:
        raise NotFound("No such evaluation") from exc


@dataclass(frozen=True)
class FirmRow:
    """A roster firm and its latest evaluation (None before the first)."""

    entry: RosterEntry
    latest: Evaluation | None


def roster_overview(user: User) -> list[FirmRow]:
    """For court staff: every firm on their court's roster with its latest evaluation. For a firm's
    administrator: his firm at each court that evaluated it."""
    visible = evaluations_visible_to(user)
    if user.is_court_staff and user.organisation_id is not None:
        entries = RosterEntry.objects.filter(court_id=user.organisation_id).select_related("firm", "court")
    elif user.role == Role.ADMINISTRATOR and user.organisation_id is not None:
        entries = RosterEntry.objects.filter(firm_id=user.organisation_id).select_related("firm", "court")
    else:
        return []
    rows = []
    for entry in entries.order_by("position"):
        latest = visible.filter(court_id=entry.court_id, firm_id=entry.firm_id).select_related("formula").first()
        rows.append(FirmRow(entry=entry, latest=latest))
    return rows


def formulas_for(user: User) -> QuerySet[Formula]:
    """The formulas of the user's court (court staff), or of the courts whose roster lists the user's firm:
    published to everyone they concern."""
    if not user.is_authenticated or user.organisation_id is None:
        return Formula.objects.none()
    if user.is_court_staff:
        courts = [user.organisation_id]
    else:
        courts = list(RosterEntry.objects.filter(firm_id=user.organisation_id).values_list("court_id", flat=True))
    return Formula.objects.filter(court_id__in=courts).select_related("court", "published_by")


def events_behind(evaluation: Evaluation, measure: str, *, case_id: str | None = None) -> tuple[list[AuditEvent], int]:
    """The audit events a figure was computed from (by the sequence numbers kept with it), oldest first."""
    if measure not in Measure.values:
        raise NotFound("No such measure")
    if case_id is None:
        seqs = evaluation.measures.get(measure, {}).get("events", [])
    else:
        rows = [row for row in evaluation.cases if row["case_id"] == case_id]
        if not rows:
            raise NotFound("No such case in this evaluation")
        seqs = rows[0]["measures"].get(measure, {}).get("events", [])
    events = list(AuditEvent.objects.filter(seq__in=seqs[:EVENTS_SHOWN]).order_by("seq"))
    return events, len(seqs)


def court_of(user: User) -> Organisation | None:
    if user.is_court_staff and user.organisation_id is not None:
        return user.organisation
    return None


@dataclass(frozen=True)
class MeasureRow:
    """One line of an evaluation's table: what was measured, its value, points off, how many events."""

    key: str
    label: str
    value: str
    deduction: str
    weight: str
    events: int


def measure_rows(evaluation: Evaluation) -> list[MeasureRow]:
    weights = evaluation.formula.weights
    rows = []
    for measure in Measure:
        data = evaluation.measures.get(measure.value, {})
        rows.append(
            MeasureRow(
                key=measure.value,
                label=str(measure.label),
                value=data.get("value", "0"),
                deduction=data.get("deduction", "0"),
                weight=weights.get(measure.value, ""),
                events=len(data.get("events", [])),
            )
        )
    return rows


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    number: str
    cells: list[tuple[str, str, int]]  # (measure, value, events) in Measure order


def case_rows(evaluation: Evaluation) -> tuple[list[tuple[str, str]], list[CaseRow]]:
    """The per-case table: columns are the measures any case has a value for."""
    used = [m for m in Measure if any(m.value in row["measures"] for row in evaluation.cases)]
    rows = []
    for row in evaluation.cases:
        cells = []
        for measure in used:
            data = row["measures"].get(measure.value, {})
            cells.append((measure.value, data.get("value", "0"), len(data.get("events", []))))
        rows.append(CaseRow(case_id=row["case_id"], number=row["number"], cells=cells))
    return [(m.value, str(m.label)) for m in used], rows


def weight_rows(formula: Formula) -> list[tuple[str, str]]:
    return [(str(Measure(key).label), weight) for key, weight in formula.weights.items()]


def firm_history(evaluation: Evaluation) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(court_id=evaluation.court_id, firm_id=evaluation.firm_id).select_related("formula")
