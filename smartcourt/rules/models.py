"""The court's holiday table: corrections to and extensions of the published holiday data.

Written only through ``smartcourt.rules.actions``; every write also bumps ``HolidayCalendarVersion`` so that
cached calendars and stored deadlines can tell they are out of date."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from smartcourt.core.models import TimestampedModel
from smartcourt.rules.choices import DayKind

# Dates the calculators accept: the Enterprise Bankruptcy Law took effect on 2007-06-01, and nothing is
# planned beyond this century.
MIN_YEAR = 2007
MAX_YEAR = 2100


class HolidayOverride(TimestampedModel):
    """One day whose status differs from what chinese-calendar (or, without it, the weekend rule) says.

    For a year chinese-calendar knows, entries take effect at once (corrections). For a later year they take
    effect when the year is published (``HolidayYear``), so a court can enter a whole arrangement first.
    """

    date = models.DateField(unique=True, help_text="The day concerned.")
    kind = models.CharField(
        max_length=16, choices=DayKind.choices, help_text="Rest day (法定休假日) or make-up working day (调休上班)."
    )
    name = models.CharField(max_length=60, help_text="The holiday it belongs to, e.g. 春节 or 国庆节.")
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the arrangement was published, e.g. 国务院办公厅关于2027年部分节假日安排的通知.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Court administrator who entered the day.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Court administrator who last changed the day.",
    )

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name} ({self.kind})"


class HolidayYear(TimestampedModel):
    """A year whose holiday arrangement the court has published in the table: its deadlines then count as
    computed with holiday data, and its ``HolidayOverride`` rows take effect."""

    year = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        help_text="The calendar year published.",
    )
    source = models.CharField(max_length=300, blank=True, help_text="The official notice the table follows.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Court administrator who published the year.",
    )

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class HolidayCalendarVersion(models.Model):
    """One row: a counter bumped by every change to the holiday table.

    ``version`` is what stored deadlines remember and compare. ``token`` is new on every change, so a cache
    keyed on it can never confuse a rolled-back change with a later one that reached the same number.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0, help_text="Number of changes made to the holiday table.")
    token = models.UUIDField(default=uuid.uuid4, help_text="New random value on every change.")
    changed_at = models.DateTimeField(null=True, blank=True, help_text="When the table last changed.")

    def __str__(self) -> str:
        return f"holiday calendar v{self.version}"
