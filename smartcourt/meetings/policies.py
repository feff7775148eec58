"""Who may do what with creditors' meetings.

- The court convenes, manages and closes: a judge sitting on the case (art. 62).
- Court staff of the case's court and the appointed administrator follow the meeting (attendance, questions,
  turnout), never the votes before the close.
- A creditor takes part through his own voting right: notices, sign-in, documents, questions, his own ballot.
- The appointed administrator answers questions (art. 23: he reports to and answers the meeting).
- After the close the results, the ballot list and the Merkle root are public to everyone who can see the case,
  and the receipt check is public to anyone.
"""

from __future__ import annotations

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.policies import is_appointed_administrator, is_judge_of, may_see_case_work


def can_convene(user: User, case: Case) -> bool:
    return is_judge_of(user, case)


def can_follow(user: User, case: Case) -> bool:
    """Sees every participant, question and the turnout (not the votes before the close)."""
    return may_see_case_work(user, case)


def can_answer(user: User, case: Case) -> bool:
    return is_appointed_administrator(user, case)
