"""Who may open a litigation fee's page: the account that pays it (the filer, 诉讼费用交纳办法 art. 20: the
plaintiff pays in advance) and the staff of the case's court. The fee page, the fee API and the case page's
link to the fee all ask this one question."""

from __future__ import annotations

from smartcourt.accounts.models import User
from smartcourt.cases.policies import is_court_staff_of_case, is_signed_in
from smartcourt.fees.models import LitigationFee


def can_open_fee(user: User, fee: LitigationFee) -> bool:
    return is_signed_in(user) and (fee.payer_user_id == user.pk or is_court_staff_of_case(user, fee.case))
