"""Kinds of entry in the court's holiday table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    # A statutory rest day (法定休假日) on a day that would otherwise be a working day, e.g. 春节 on a Tuesday.
    REST_DAY = "rest_day", _("Rest day")
    # A make-up working day (调休上班) on a Saturday or Sunday: it counts as a working day for periods.
    WORKING_DAY = "working_day", _("Working day")
