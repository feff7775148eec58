"""Creditors' meetings: that a meeting is convened, closed or cancelled, and its documents, are for every
participant (the meetings pages list them to creditors); who signed in, voted or asked is the follow-up those
who conduct the case see (meetings.policies.can_follow)."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, choices_of, declare
from smartcourt.meetings.choices import MeetingKind

declare(
    EventType(
        "meetings.convened",
        _("Creditors' meeting convened"),
        Audience.PARTICIPANTS,
        labels={"scheduled_at": _("Scheduled at")},
        values={"kind": choices_of(MeetingKind)},
    ),
    EventType("meetings.closed", _("Creditors' meeting closed, results published"), Audience.PARTICIPANTS),
    EventType("meetings.cancelled", _("Creditors' meeting cancelled"), Audience.PARTICIPANTS),
    EventType(
        "meetings.document_attached",
        _("Meeting document added"),
        Audience.PARTICIPANTS,
        labels={"title": _("Document title")},
    ),
    EventType("meetings.signed_in", _("Creditor signed in to the meeting"), Audience.CASE_WORK),
    EventType("meetings.question_asked", _("Creditor asked a question"), Audience.CASE_WORK),
    EventType("meetings.question_answered", _("Administrator answered a question"), Audience.CASE_WORK),
    EventType("meetings.vote_cast", _("Creditor voted"), Audience.CASE_WORK),
    EventType("meetings.voting_amounts_set", _("Provisional voting amount set"), Audience.CASE_WORK),
)
