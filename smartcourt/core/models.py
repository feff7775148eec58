"""Abstract base models. ``core`` holds no tables of its own."""

from __future__ import annotations

import uuid

from django.db import models


class UUIDModel(models.Model):
    """A record identified by a UUID, so that records keep their identity across zones and exports."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class TimestampedModel(UUIDModel):
    """A UUID record that remembers when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created.")
    updated_at = models.DateTimeField(auto_now=True, help_text="When the record was last changed.")

    class Meta:
        abstract = True
