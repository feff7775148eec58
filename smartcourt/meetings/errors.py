"""Error codes of creditors' meetings: the ``code`` of their answers (the values are the wire's)."""

from __future__ import annotations

from smartcourt.core.errors import ErrorCode


class MeetingError(ErrorCode):
    MEETING_CLOSED = "meeting_closed"
    MEETING_NOT_OPEN = "meeting_not_open"
    NOT_OPEN = "not_open"
    NOTICE_TOO_LATE = "notice_too_late"
    VOTING_CLOSED = "voting_closed"
    VOTING_NOT_OPEN = "voting_not_open"
    VOTING_OPEN = "voting_open"
