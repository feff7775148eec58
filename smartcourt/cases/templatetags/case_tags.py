"""Presentation helpers for case pages: status badges, masked identifiers and readable audit events."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from smartcourt.accounts.choices import Role
from smartcourt.audit.models import AuditEvent
from smartcourt.cases import events
from smartcourt.cases.choices import CASE_TYPE_CODE, CaseStatus, Composition
from smartcourt.cases.events import Change
from smartcourt.core.identifiers import mask_identity_number

register = template.Library()

_STATUS_BADGE: dict[str, str] = {
    CaseStatus.PENDING: "text-bg-warning",
    CaseStatus.OPEN: "text-bg-success",
    CaseStatus.CLOSED: "text-bg-secondary",
}

# Events whose phrase already says what the status became.
_STATUS_IN_PHRASE = ("bankruptcy.node_", "correspondence.")

_ACTOR_LABEL = re.compile(r"^(?P<name>.*) \[(?P<role>[a-z_]+)\]$")


@register.filter
def status_badge_class(status: str) -> str:
    return _STATUS_BADGE.get(status, "text-bg-light")


@register.filter
def type_code(case_type: str) -> str:
    """The short code of a case type as written in case numbers: 破申, 破, 民初 …"""
    return CASE_TYPE_CODE.get(case_type, case_type)


@register.filter
def masked(value: str) -> str:
    """An identity number with only its region and check digit showing."""
    return mask_identity_number(value) if value else ""


@register.filter
def get_item(mapping: dict[str, Any], key: object) -> Any:
    return mapping.get(str(key)) if mapping else None


@register.filter
def action_phrase(action: str) -> str:
    """What the audited action means, as a phrase a court user reads (declared with the event type)."""
    return events.event_phrase(action)


@register.filter
def actor_display(label: str) -> str:
    """'张明 [judge]' -> '张明 · 法官' (the role in the reader's language)."""
    if label == "system":
        return str(_("System"))
    match = _ACTOR_LABEL.match(label)
    if not match or match["role"] not in Role.values:
        return label
    return f"{match['name']} · {Role(match['role']).label}"


@register.simple_tag
def event_changes(event: AuditEvent) -> list[Change]:
    """The fields an event changed, with their values before (if any) and after, in readable form."""
    return events.event_changes(event, status_in_phrase=_STATUS_IN_PHRASE)


@register.filter
def composition_label(value: str) -> str:
    return str(Composition(value).label) if value in Composition.values else value
