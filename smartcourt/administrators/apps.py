from django.apps import AppConfig


class AdministratorsConfig(AppConfig):
    name = "smartcourt.administrators"
    label = "administrators"
    verbose_name = "Administrator roster and appointments"
