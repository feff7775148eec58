from django.apps import AppConfig


class BankruptcyConfig(AppConfig):
    name = "smartcourt.bankruptcy"
    label = "bankruptcy"
    verbose_name = "Bankruptcy procedure engine"
