from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "smartcourt.core"
    label = "core"
    verbose_name = "SmartCourt core"
