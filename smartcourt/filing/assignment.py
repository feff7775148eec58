"""Who presides over a filed case: the court's rule for the cause of action's part of the list, else a
reproducible random draw among the court's active judges (core.draws, the administrator draw's mechanism).
Docketing records what this gives (``JudgeAssignment``, and the same in the audit event), so that anyone can
redo the draw (``verify_assignment``); the clerk may choose another judge, with reasons, recorded beside it.

Why: cases are assigned mainly at random, by rule where the court designates (随机分案为主、指定分案为辅, SPC
Opinions on Improving the Judicial Responsibility System of the People's Courts, 2015), so that neither the
parties choose their judge nor the judges their cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.audit.models import AuditEvent
from smartcourt.core.draws import draw_digest, draw_index, new_seed
from smartcourt.core.errors import DomainError
from smartcourt.filing.choices import AssignmentMethod
from smartcourt.filing.models import AssignmentRule, JudgeAssignment

ASSIGNED_EVENT = "filing.judge_assigned"


@dataclass(frozen=True)
class Outcome:
    method: str
    judge: User
    rule_part: str = ""
    seed: str = ""
    candidates: list[dict[str, Any]] = field(default_factory=list)
    digest: str = ""
    drawn_index: int | None = None


def court_judges(court: Organisation) -> list[User]:
    """The court's active judges in a stable order (user name), the order a draw's candidates are listed in."""
    return list(User.objects.filter(role=Role.JUDGE, organisation=court, is_active=True).order_by("username"))


def assign(court: Organisation, cause_part: str, *, seed: str = "") -> Outcome:
    """The rule for ``cause_part`` if the court has one whose judge still sits; else a draw."""
    rule = AssignmentRule.objects.filter(court=court, cause_part=cause_part).select_related("judge").first()
    if rule is not None and rule.judge.is_active and rule.judge.role == Role.JUDGE:
        return Outcome(method=AssignmentMethod.RULE, judge=rule.judge, rule_part=cause_part)
    judges = court_judges(court)
    if not judges:
        raise DomainError(_("The court has no judge to assign the case to"), field="presiding_judge")
    candidates = [{"judge_id": str(judge.pk), "name": judge.full_name} for judge in judges]
    seed = seed or new_seed()
    digest = draw_digest(seed, candidates)
    index = draw_index(digest, candidates)
    return Outcome(
        method=AssignmentMethod.DRAW,
        judge=judges[index],
        seed=seed,
        candidates=candidates,
        digest=digest,
        drawn_index=index,
    )


def record_of(assignment: JudgeAssignment) -> dict[str, Any]:
    """What the audit event holds, compared field by field when the draw is checked."""
    return {
        "method": assignment.method,
        "rule_part": assignment.rule_part,
        "seed": assignment.seed,
        "candidates": list(assignment.candidates or []),
        "digest": assignment.digest,
        "drawn_index": assignment.drawn_index,
        "assigned_judge": str(assignment.assigned_judge_id),
        "judge": str(assignment.judge_id),
        "override_reason": assignment.override_reason,
    }


def verify_assignment(assignment: JudgeAssignment) -> list[str]:
    """Redo the draw from the record and compare the record with its audit event: the problems found (none
    when the assignment is what its record says)."""
    problems: list[str] = []
    event = AuditEvent.objects.filter(action=ASSIGNED_EVENT, object_id=str(assignment.pk)).order_by("seq").first()
    if event is None:
        problems.append("the assignment's audit event is missing")
    else:
        logged = event.after or {}
        for key, value in record_of(assignment).items():
            if logged.get(key) != value:
                problems.append(f"{key} differs from the audit event #{event.seq}")
    if assignment.method != AssignmentMethod.DRAW:
        return problems
    candidates = list(assignment.candidates or [])
    if not candidates:
        return [*problems, "the candidate list is empty"]
    digest = draw_digest(assignment.seed, candidates)
    index = draw_index(digest, candidates)
    if digest != assignment.digest:
        problems.append("the seed and candidates do not give the recorded digest")
    if index != assignment.drawn_index:
        problems.append(f"the draw gives index {index}, the record says {assignment.drawn_index}")
    if candidates[index].get("judge_id") != str(assignment.assigned_judge_id):
        problems.append("the judge assigned is not the candidate the draw gives")
    return problems
