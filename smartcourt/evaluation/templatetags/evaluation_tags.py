"""Presentation of evaluations: roster grades by their names, not their codes."""

from __future__ import annotations

from django import template

from smartcourt.administrators.choices import Grade

register = template.Library()


@register.filter
def grade_label(grade: str) -> str:
    return str(Grade(grade).label) if grade in Grade.values else grade
