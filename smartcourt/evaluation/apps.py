from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "smartcourt.evaluation"
    label = "evaluation"
    verbose_name = "Administrator evaluation"
