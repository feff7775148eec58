from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "smartcourt.cases"
    label = "cases"
    verbose_name = "Cases"
