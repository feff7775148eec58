from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "smartcourt.analytics"
    label = "analytics"
    verbose_name = "Analytics"
