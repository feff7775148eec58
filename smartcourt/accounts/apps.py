from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "smartcourt.accounts"
    label = "accounts"
    verbose_name = "Accounts"
