"""Who may read, submit and answer requests and reports.

- read: court staff who can see the case, and the appointed administrator (the same people who read the
  dossier the threads are filed into); to anyone else the threads do not exist (404);
- submit and resubmit: only the appointed administrator;
- answer: only a judge sitting on the case (presiding or on the panel), and never the person who submitted.
"""

from __future__ import annotations

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.policies import is_appointed_administrator, is_judge_of, may_see_case_work
from smartcourt.correspondence.choices import ANSWERS, RESUBMITTABLE
from smartcourt.correspondence.models import Thread


def can_read_threads(user: User, case: Case) -> bool:
    return may_see_case_work(user, case)


def can_submit(user: User, case: Case) -> bool:
    return is_appointed_administrator(user, case)


def can_answer(user: User, thread: Thread) -> bool:
    return thread.submitted_by_id != user.pk and is_judge_of(user, thread.case)


def decisions_open_to(user: User, thread: Thread) -> list[str]:
    """The decisions ``user`` may take on ``thread`` now; empty when none."""
    if not can_answer(user, thread):
        return []
    return list(ANSWERS.get((thread.kind, thread.status), {}))


def can_resubmit(user: User, thread: Thread) -> bool:
    return (thread.kind, thread.status) in RESUBMITTABLE and is_appointed_administrator(user, thread.case)
