from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "smartcourt.claims"
    label = "claims"
    verbose_name = "Creditors and claims"
