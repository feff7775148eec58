from django.apps import AppConfig


class FeesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "smartcourt.fees"
    verbose_name = "Litigation fees"
