"""Evidence deposits on a case are part of the case's work; the depositor sees his own (actor rule)."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, declare

declare(EventType("evidence.deposited", _("Evidence deposited"), Audience.CASE_WORK))
