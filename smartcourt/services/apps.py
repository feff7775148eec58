from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """Platform services every app may use and no domain owns: phone verification, Idempotency-Key claims,
    SMS (docs/adr/0010-platform-services.md)."""

    name = "smartcourt.services"
    label = "services"
    verbose_name = "Platform services"
