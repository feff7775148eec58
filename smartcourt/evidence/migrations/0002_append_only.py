"""Make the log's tables append-only in the database itself, and create the log's head row."""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from smartcourt.evidence.triggers import install_triggers, remove_triggers


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    install_triggers(schema_editor.connection)
    head_model = apps.get_model("evidence", "LogHead")
    head_model.objects.using(schema_editor.connection.alias).get_or_create(pk=1)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
