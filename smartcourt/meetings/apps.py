from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "smartcourt.meetings"
    label = "meetings"
    verbose_name = "Creditors' meetings"

    def ready(self) -> None:
        # The transparency log learns of this app's leaves by registration, not by importing the app.
        from smartcourt.audit.leaf_sources import register_leaf_source
        from smartcourt.meetings.leaves import PUBLISHED_BALLOTS

        register_leaf_source(PUBLISHED_BALLOTS)
