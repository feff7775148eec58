from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "smartcourt.banking"
    label = "banking"
    verbose_name = "Bank partner protocol"
