from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "smartcourt.evidence"
    label = "evidence"
    verbose_name = "Evidence and transparency log"
