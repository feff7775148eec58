"""The audit actions the dashboards count, and the keys of their ``after`` payloads.

Funds (issue 5) and meetings (issue 7) record these names; until their tables exist, the audit log is the
only place the figures can come from, and it stays the source after that (the tables are theirs to change).
"""

from __future__ import annotations

# funds.movement_booked: after = {"amount_fen": int, "direction": "credit" | "debit", …}
MOVEMENT_BOOKED = "funds.movement_booked"
AMOUNT_KEY = "amount_fen"
DIRECTION_KEY = "direction"
CREDIT = "credit"
DEBIT = "debit"
# A distribution line paid to a creditor: after = {"amount_fen": int, …}.
DISTRIBUTION_PAID = "distributions.line_paid"
MEETING_CLOSED = "meetings.closed"
SIGNED_IN = "meetings.signed_in"
