from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "smartcourt.exports"
    label = "exports"
    verbose_name = "Exports built in the background"
