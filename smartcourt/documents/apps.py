from __future__ import annotations

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "smartcourt.documents"
    label = "documents"
    verbose_name = "Documents"
