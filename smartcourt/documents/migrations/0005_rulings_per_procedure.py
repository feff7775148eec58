"""Issue 15.17: the acceptance and rejection rulings, written for every procedure and applicant and with the
appeal court from the court hierarchy, become the current version of the two templates wherever the court has
not edited them (current version 1, the seed); an edited template is the court's and is left alone. Both
templates now also serve node C01."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone

KEYS = ("acceptance_ruling", "rejection_ruling")


def forwards(apps: Any, schema_editor: Any) -> None:
    from smartcourt.documents.seeds import SEEDS

    template_model = apps.get_model("documents", "DocumentTemplate")
    version_model = apps.get_model("documents", "TemplateVersion")
    now = timezone.now()
    for seed in SEEDS:
        if seed.key not in KEYS:
            continue
        template = template_model.objects.filter(key=seed.key).first()
        if template is None or template.current_version_id is None:
            continue
        # They serve the compulsory liquidation's acceptance (C01) too.
        if list(template.node_keys) != list(seed.node_keys):
            template.node_keys = list(seed.node_keys)
            template.save(update_fields=["node_keys"])
        current = version_model.objects.get(pk=template.current_version_id)
        body = seed.body.strip() + "\n"
        if current.body == body or current.number != 1 or current.note != "seed":
            continue
        version = version_model.objects.create(
            template=template, number=2, body=body, note="按程序和申请人区分；上诉法院取自法院层级", created_at=now
        )
        template.current_version = version
        template.save(update_fields=["current_version"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_delivery_channel_marks")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
