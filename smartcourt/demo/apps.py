from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "smartcourt.demo"
    label = "demo"
    verbose_name = "Demo data"
