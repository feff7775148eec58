from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "smartcourt.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # Every app declares its case events (audience, phrase, labels) in its events.py; see cases.events.
        from smartcourt.cases.events import autodiscover

        autodiscover()
