from django.apps import AppConfig


class DistributionsConfig(AppConfig):
    name = "smartcourt.distributions"
    label = "distributions"
    verbose_name = "Distributions"
