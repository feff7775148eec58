from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "smartcourt.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # Every app declares its case events (audience, phrase, labels) in its events.py; see cases.events.
        from smartcourt.cases import events, links

        events.autodiscover()
        # Apps above cases add their links to the case page (cases.links).
        links.autodiscover()
