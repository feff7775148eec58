"""Who may do what with distribution plans and payment batches.

- Court staff of the case's court and the appointed administrator see the plans and batches.
- Only the appointed administrator draws up plans, submits them to the meeting, uploads and submits batches.
- Only a judge sitting on the case records the meeting's resolution (until the meetings app answers it),
  rules on the plan and approves a batch — never a batch he uploaded himself (maker-checker).
- A creditor sees his own planned and paid amounts (selectors.amounts_for_creditor), not the plan.
"""

from __future__ import annotations

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.policies import is_appointed_administrator, is_judge_of, may_see_case_work


def can_see_plans(user: User, case: Case) -> bool:
    return may_see_case_work(user, case)


def can_prepare(user: User, case: Case) -> bool:
    return is_appointed_administrator(user, case)


def can_rule(user: User, case: Case) -> bool:
    return is_judge_of(user, case)
