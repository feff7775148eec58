from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "smartcourt.funds"
    label = "funds"
    verbose_name = "Fund supervision"
