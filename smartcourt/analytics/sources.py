"""The audit actions the dashboards count (meetings, issue 7, records them with these names).

Funds under supervision and distributions paid are read from the funds and distributions tables
(SupervisedAccount.balance_fen, BatchLine with status paid), not from events.
"""

from __future__ import annotations

MEETING_CLOSED = "meetings.closed"
SIGNED_IN = "meetings.signed_in"
