"""Reads of litigation fees that are not a user's: the background jobs' lists."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, QuerySet

from smartcourt.fees.choices import FeeStatus, ReliefStatus
from smartcourt.fees.models import FeeRelief, LitigationFee


def fees_past_deadline(today: dt.date) -> QuerySet[LitigationFee]:
    """Fees still owed after their last day (诉讼费用交纳办法 art. 22: 7 days from the fee notice, or the day a
    deferral moved it to), with no application for deferral, reduction or waiver awaiting the judge: a pending
    application stops the case from being handled as withdrawn until it is decided (SPC interpretation of the
    CPL, 2022, art. 213: only "申请减、缓、免未获批准而仍不预交的")."""
    pending = FeeRelief.objects.filter(fee=OuterRef("pk"), status=ReliefStatus.PENDING)
    return (
        LitigationFee.objects.filter(
            status__in=(FeeStatus.DUE, FeeStatus.RELIEVED), due_on__lt=today, paid_fen__lt=F("fee_fen")
        )
        .exclude(Exists(pending))
        .order_by("due_on", "created_at")
    )
