"""Who may see and work a proceeding's nodes.

The node work is between the court and the appointed administrator: court staff of the case's court and the
administrator appointed on the case see it; other members of the case (creditors, the bank) can see the case
but not its node work (PermissionDenied); everybody else cannot see the case at all (NotFound, by the case
selector). A node is worked by its operator: court nodes by the judges and judge assistants on the case,
administrator nodes by the appointed administrator. Only a judge sitting on the case confirms, returns,
converts the procedure or grants an extension.
"""

from __future__ import annotations

from smartcourt.accounts.models import User
from smartcourt.bankruptcy.choices import Operator
from smartcourt.bankruptcy.rulepack import Node
from smartcourt.cases.models import Case
from smartcourt.cases.policies import (
    is_appointed_administrator,
    is_assigned_assistant,
    is_judge_of,
    is_judge_of_court,
    may_see_case_work,
)

__all__ = [
    "can_operate",
    "can_view_nodes",
    "is_appointed_administrator",
    "is_court_judge",
    "is_court_operator",
    "is_judge_of",
]


def can_view_nodes(user: User, case: Case) -> bool:
    """For a case ``user`` can see: may they see its node work?"""
    return may_see_case_work(user, case)


def is_court_operator(user: User, case: Case) -> bool:
    """A judge sitting on the case, or a judge assistant assigned to it."""
    return is_judge_of(user, case) or is_assigned_assistant(user, case)


def is_court_judge(user: User, case: Case) -> bool:
    """A judge of the case's court: who rules on acceptance and records the appointment (the new case may not
    list its panel yet)."""
    return is_judge_of_court(user, case)


def can_operate(user: User, case: Case, node: Node) -> bool:
    if node.operator == Operator.COURT:
        return is_court_operator(user, case)
    return is_appointed_administrator(user, case)
