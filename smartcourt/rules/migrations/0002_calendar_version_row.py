"""The holiday calendar's version row exists from the start, so every calendar can cache by its token."""

from __future__ import annotations

import uuid

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def create_row(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    version = apps.get_model("statutory_rules", "HolidayCalendarVersion")
    version.objects.get_or_create(pk=1, defaults={"version": 0, "token": uuid.uuid4()})


class Migration(migrations.Migration):
    dependencies = [("statutory_rules", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
