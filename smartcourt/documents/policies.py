"""Who may edit templates, generate documents, read them and sign them with a seal."""

from __future__ import annotations

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.policies import (
    is_appointed_administrator,
    is_assigned_assistant,
    is_court_admin_of_case,
    is_court_staff_of_case,
    is_judge_of,
    is_signed_in,
    may_see_case_work,
)
from smartcourt.documents.choices import Issuer
from smartcourt.documents.models import Seal


def can_edit_templates(user: User) -> bool:
    """The template library is the court administrators' to keep."""
    return is_signed_in(user) and user.role == Role.COURT_ADMIN


def can_view_templates(user: User) -> bool:
    return is_signed_in(user) and user.is_court_staff


def can_read_documents(user: User, case: Case) -> bool:
    """Documents are in the dossier: whoever reads the dossier reads them."""
    return may_see_case_work(user, case)


# The notices the filing division issues when it dockets a case (受理案件通知书, 交纳诉讼费用通知书): a filing
# clerk of the court generates and seals these, and only these (smartcourt/filing/templates_seed.py).
# The filing division also rules a case whose fee went unpaid handled as withdrawn (civil_withdrawal_ruling,
# 诉讼费用交纳办法 art. 22), since it issued the fee notice that ruling rests on.
FILING_CLERK_TEMPLATES = frozenset({"civil_acceptance_notice", "litigation_fee_notice", "civil_withdrawal_ruling"})


def _filing_clerk_of(user: User, case: Case, template_key: str) -> bool:
    return (
        template_key in FILING_CLERK_TEMPLATES and is_court_staff_of_case(user, case) and user.role == Role.FILING_CLERK
    )


def can_generate(user: User, case: Case, issuer: str, template_key: str = "") -> bool:
    """Court documents: the case's judges, its assistants and the court administrators of its court (and the
    court's filing clerks for the docketing notices). Administrator documents: the appointed administrator."""
    if issuer == Issuer.COURT:
        return (
            is_court_admin_of_case(user, case)
            or is_judge_of(user, case)
            or is_assigned_assistant(user, case)
            or _filing_clerk_of(user, case, template_key)
        )
    return is_appointed_administrator(user, case)


def can_sign_with(user: User, case: Case, seal: Seal, template_key: str = "") -> bool:
    """The court's seal: a judge of the case or a court administrator of that court (a filing clerk: on the
    docketing notices). A firm's seal: that firm's administrators, on a case the firm is appointed on."""
    if not is_signed_in(user) or seal.revoked_at is not None:
        return False
    if seal.organisation_id == case.court_id:
        return (
            is_court_admin_of_case(user, case) or is_judge_of(user, case) or _filing_clerk_of(user, case, template_key)
        )
    return (
        user.role == Role.ADMINISTRATOR
        and user.organisation_id == seal.organisation_id
        and is_appointed_administrator(user, case)
    )
