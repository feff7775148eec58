from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "smartcourt.audit"
    label = "audit"
    verbose_name = "Audit log"
