"""Make dossier entries immutable in the database itself."""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from smartcourt.dossier.triggers import install_triggers, remove_triggers


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    install_triggers(schema_editor.connection)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("dossier", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
