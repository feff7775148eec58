"""Threads of requests and reports between the appointed administrator and the judges of a case."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smartcourt.accounts.models import Organisation
from smartcourt.cases.models import Case
from smartcourt.core.models import TimestampedModel, UUIDModel
from smartcourt.correspondence.choices import MessageKind, ThreadKind, ThreadStatus
from smartcourt.dossier.models import DossierEntry


class Thread(TimestampedModel):
    """One request (请示) or report (报告) and everything said about it, oldest first."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="threads")
    kind = models.CharField(max_length=16, choices=ThreadKind.choices)
    subject = models.CharField(max_length=150, help_text="e.g. 关于变卖债务人机器设备的请示.")
    status = models.CharField(max_length=24, choices=ThreadStatus.choices, default=ThreadStatus.SUBMITTED)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every change; a change made from an older version is refused."
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    firm = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The administrator firm the submitter acted for.",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return self.subject


class Message(UUIDModel):
    """A submission, a resubmission or a judge's answer. Never changed once written."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    body = models.TextField(blank=True, help_text="The text; for a rejection or a request for more, the reasons.")
    created_at = models.DateTimeField()
    record = models.ForeignKey(
        DossierEntry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The dossier entry holding this message as a PDF.",
    )
    attachments = models.ManyToManyField(DossierEntry, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
