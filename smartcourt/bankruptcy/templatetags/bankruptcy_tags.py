"""Presentation helpers for the rule pack, the board and the node pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from smartcourt.bankruptcy.choices import Actor, Colour, NodeStatus, Operator, OutputKind, Procedure, TransitionAction
from smartcourt.rules.deadlines import ANCHORS, RULES_BY_KEY, DeadlineRule

register = template.Library()
_ANCHORS = {anchor.name: anchor for anchor in ANCHORS}

_COLOUR_CLASS: dict[str, str] = {
    Colour.RED: "text-bg-danger",
    Colour.YELLOW: "text-bg-warning",
    Colour.GREEN: "text-bg-success",
    Colour.NONE: "text-bg-light border",
}
_STATUS_CLASS: dict[str, str] = {
    NodeStatus.BLOCKED: "text-bg-light border text-body-secondary",
    NodeStatus.PENDING: "text-bg-info",
    NodeStatus.IN_PROGRESS: "text-bg-primary",
    NodeStatus.AWAITING_CONFIRMATION: "text-bg-warning",
    NodeStatus.RETURNED: "text-bg-danger",
    NodeStatus.COMPLETED: "text-bg-success",
    NodeStatus.CANCELLED: "text-bg-secondary",
}


def _english() -> bool:
    return (get_language() or "").startswith("en")


@register.simple_tag
def localized(obj: Any, field: str) -> str:
    """``obj.<field>_zh`` on a Chinese page, ``obj.<field>_en`` on an English one (rule-pack data is bilingual)."""
    return str(getattr(obj, f"{field}_en" if _english() else f"{field}_zh", ""))


@register.filter
def colour_class(colour: str) -> str:
    return _COLOUR_CLASS.get(colour, "text-bg-light border")


@register.filter
def colour_label(colour: str) -> str:
    return str(Colour(colour).label) if colour in Colour.values else colour


@register.filter
def status_class(status: str) -> str:
    return _STATUS_CLASS.get(status, "text-bg-light border")


@register.filter
def status_label(status: str) -> str:
    return str(NodeStatus(status).label) if status in NodeStatus.values else status


@register.filter
def actor_label(value: str) -> str:
    return str(Actor(value).label) if value in Actor.values else value


@register.filter
def operator_label(value: str) -> str:
    return str(Operator(value).label) if value in Operator.values else value


@register.filter
def kind_label(value: str) -> str:
    return str(OutputKind(value).label) if value in OutputKind.values else value


@register.filter
def procedure_label(value: str) -> str:
    return str(Procedure(value).label) if value in Procedure.values else value


@register.filter
def action_label(value: str) -> str:
    return str(TransitionAction(value).label) if value in TransitionAction.values else value


@register.filter
def deadline_rule(key: str | None) -> DeadlineRule | None:
    return RULES_BY_KEY.get(key or "")


@register.filter
def deadline_period(rule: DeadlineRule | None) -> str:
    if rule is None:
        return ""
    return rule.period.label_en if _english() else rule.period.label_zh


@register.filter
def deadline_description(rule: DeadlineRule | None) -> str:
    if rule is None:
        return ""
    return rule.description_en if _english() else rule.description_zh


@register.filter
def basis_text(basis: Any) -> str:
    """A rule-pack Basis or a rules LegalBasis, in the page's language."""
    if hasattr(basis, "text_zh"):
        return str(basis.text_en if _english() else basis.text_zh)
    return str(basis.text_en if _english() else basis.text)


@register.filter
def abs_value(value: int) -> int:
    return abs(value)


@register.filter
def anchor_label(name: str) -> str:
    anchor = _ANCHORS.get(name)
    if anchor is None:
        return name
    return anchor.label_en if _english() else anchor.label_zh
