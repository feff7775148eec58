from django.apps import AppConfig


class FilingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "smartcourt.filing"
    verbose_name = "Online filing"
