from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "smartcourt.rules"
    # Not "rules": the label was chosen when django-rules (an authorization library) was a dependency, and
    # the migrations and audit object types ("statutory_rules.HolidayOverride") carry it now.
    label = "statutory_rules"
    verbose_name = "Statutory rules"
