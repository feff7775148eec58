from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "smartcourt.meetings"
    label = "meetings"
    verbose_name = "Creditors' meetings"
