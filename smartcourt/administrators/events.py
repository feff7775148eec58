"""The administrator roster's case events (see cases.events)."""

from django.utils.translation import gettext_lazy as _

from smartcourt.administrators.choices import AppointmentMethod
from smartcourt.cases.events import Audience, EventType, choices_of, declare

declare(
    # The appointment decision is served and announced (EBL art. 13-14): everybody on the case sees it.
    EventType(
        "administrators.appointed",
        _("Administrator appointed"),
        Audience.CASE,
        labels={"appointed_on": _("Appointed on")},
        values={"method": choices_of(AppointmentMethod)},
        hidden=frozenset({"case"}),
    ),
)
