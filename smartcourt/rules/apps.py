from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "smartcourt.rules"
    # Not "rules": that is the label of django-rules (the authorization library), which a template that
    # loads its tags needs in INSTALLED_APPS.
    label = "statutory_rules"
    verbose_name = "Statutory rules"
