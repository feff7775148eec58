from django.apps import AppConfig


class CorrespondenceConfig(AppConfig):
    name = "smartcourt.correspondence"
    label = "correspondence"
    verbose_name = "Requests, reports and replies"
