"""Presentation helpers for case pages: status badges, masked identifiers and readable audit events."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from smartcourt.accounts.choices import Role
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.choices import CASE_TYPE_CODE, CaseStatus, CaseType, MemberRole, PartyKind, PartyRole
from smartcourt.core.identifiers import mask_identity_number

register = template.Library()

_STATUS_BADGE: dict[str, str] = {
    CaseStatus.PENDING: "text-bg-warning",
    CaseStatus.OPEN: "text-bg-success",
    CaseStatus.CLOSED: "text-bg-secondary",
}

# What each audited action means, as a phrase a court user reads in the case timeline.
ACTION_PHRASES: dict[str, Promise] = {
    "cases.case_created": _("Case registered"),
    "cases.status_changed": _("Case status changed"),
    "cases.party_added": _("Party added"),
    "cases.member_added": _("Person assigned to the case"),
    "cases.identity_number_viewed": _("Identity number viewed in full"),
    "accounts.organisation_created": _("Organisation created"),
    "accounts.user_created": _("User created"),
}

# Labels of the fields that actions write into an event's before/after payloads.
FIELD_LABELS: dict[str, Promise] = {
    "number": _("Case number"),
    "title": _("Title"),
    "case_type": _("Case type"),
    "court": _("Court"),
    "filed_on": _("Filed on"),
    "accepted_on": _("Accepted on"),
    "closed_on": _("Closed on"),
    "origin": _("Origin case"),
    "status": _("Status"),
    "reason": _("Reason"),
    "role": _("Role"),
    "kind": _("Kind"),
    "name": _("Name"),
    "party": _("Party"),
    "credit_code": _("Credit code"),
    "has_id_number": _("Identity number given"),
    "user_name": _("User"),
    "organisation": _("Organisation"),
}
# Internal identifiers mean nothing to a reader; the readable field next to them says the same thing.
_HIDDEN_FIELDS = frozenset({"user"})

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
    phrase = ACTION_PHRASES.get(action)
    return str(phrase) if phrase is not None else action


@register.filter
def actor_display(label: str) -> str:
    """'张明 [judge]' -> '张明 · 法官' (the role in the reader's language)."""
    if label == "system":
        return str(_("System"))
    match = _ACTOR_LABEL.match(label)
    if not match or match["role"] not in Role.values:
        return label
    return f"{match['name']} · {Role(match['role']).label}"


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str


def _choice_label(field: str, value: str, action: str) -> str | None:
    if field == "status" and value in CaseStatus.values:
        return str(CaseStatus(value).label)
    if field == "case_type" and value in CaseType.values:
        return str(CaseType(value).label)
    if field == "kind" and value in PartyKind.values:
        return str(PartyKind(value).label)
    if field == "role":
        roles: Any = MemberRole if action == "cases.member_added" else PartyRole
        if value in roles.values:
            return str(roles(value).label)
    return None


def _display(field: str, value: Any, action: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str):
        label = _choice_label(field, value, action)
        if label is not None:
            return label
        if field.endswith("_on"):
            try:
                return formats.date_format(dt.date.fromisoformat(value), "Y-m-d")
            except ValueError:
                return value
    return str(value)


@register.simple_tag
def event_changes(event: AuditEvent) -> list[Change]:
    """The fields an event changed, with their values before (if any) and after, in readable form."""
    before: dict[str, Any] = event.before or {}
    after: dict[str, Any] = event.after or {}
    changes = []
    for field in [*after, *(key for key in before if key not in after)]:
        if field in _HIDDEN_FIELDS:
            continue
        old, new = before.get(field), after.get(field)
        if field in before and old == new:
            continue
        # Absent data is not news: an empty value, or "no identity number" on an organisation.
        if field not in before and new in (None, "", False):
            continue
        label = FIELD_LABELS.get(field)
        changes.append(
            Change(
                label=str(label) if label is not None else field,
                before=_display(field, old, event.action) if field in before else None,
                after=_display(field, new, event.action),
            )
        )
    return changes
