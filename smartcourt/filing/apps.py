from django.apps import AppConfig


class FilingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "smartcourt.filing"
    verbose_name = "Online filing"

    def ready(self) -> None:
        # What applying the other zone's filing messages does (ADR 0011: apps register their message kinds).
        from smartcourt.exchange.handlers import register_handler
        from smartcourt.filing import crossing

        register_handler(crossing.KIND, crossing.apply_state)
