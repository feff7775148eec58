from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone


def seed(apps: Any, schema_editor: Any) -> None:
    from smartcourt.documents.seeds import seed_templates

    seed_templates(
        apps.get_model("documents", "DocumentTemplate"), apps.get_model("documents", "TemplateVersion"), now=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
