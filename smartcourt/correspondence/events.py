"""Requests and reports (请示报告) belong to their pages (correspondence.policies.can_read_threads): those who
conduct the case see them, subject and decision included; creditors and the bank do not."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, choices_of, declare
from smartcourt.correspondence.choices import Decision, ThreadKind, ThreadStatus

_VALUES = {"kind": choices_of(ThreadKind), "status": choices_of(ThreadStatus), "decision": choices_of(Decision)}

declare(
    EventType("correspondence.thread_submitted", _("Request or report submitted"), Audience.CASE_WORK, values=_VALUES),
    EventType("correspondence.thread_answered", _("Request or report answered"), Audience.CASE_WORK, values=_VALUES),
    EventType("correspondence.thread_resubmitted", _("Request resubmitted"), Audience.CASE_WORK, values=_VALUES),
)
