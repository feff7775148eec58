"""Dossier exports are dossier work: those who conduct the case (dossier.policies) see them."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, declare

declare(
    EventType("exports.requested", _("Dossier export requested"), Audience.CASE_WORK),
    EventType("exports.completed", _("Dossier export completed"), Audience.CASE_WORK),
    EventType("exports.failed", _("Dossier export failed"), Audience.CASE_WORK),
)
