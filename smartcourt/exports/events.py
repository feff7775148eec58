"""Exports (a dossier, a claims table, a payment file) are case work: those who conduct the case see them."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, declare

declare(
    EventType("exports.requested", _("Export requested"), Audience.CASE_WORK),
    EventType("exports.completed", _("Export completed"), Audience.CASE_WORK),
    EventType("exports.failed", _("Export failed"), Audience.CASE_WORK),
)
