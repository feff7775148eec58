"""Documents and their service belong to the documents pages (documents.policies.can_read_documents)."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, choices_of, declare
from smartcourt.documents.choices import Channel

_CHANNELS = {"channels": choices_of(Channel)}

declare(
    EventType("documents.generated", _("Document generated"), Audience.CASE_WORK),
    EventType("documents.signed", _("Document signed with the seal"), Audience.CASE_WORK),
    EventType("documents.opened", _("Document opened by its recipient"), Audience.CASE_WORK),
    EventType(
        "documents.service_requested",
        _("Electronic service requested"),
        Audience.CASE_WORK,
        labels={"new_recipients": _("Recipients")},
    ),
    EventType(
        "documents.served",
        _("Document served"),
        Audience.CASE_WORK,
        labels={"recipient": _("Recipient"), "channels": _("Channels"), "served_at": _("Served at")},
        values=_CHANNELS,
    ),
    EventType("documents.service_retried", _("Electronic service retried"), Audience.CASE_WORK),
    EventType(
        "documents.service_failed",
        _("Electronic service failed"),
        Audience.CASE_WORK,
        labels={"recipient": _("Recipient"), "attempts": _("Attempts")},
    ),
)
