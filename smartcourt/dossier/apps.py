from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "smartcourt.dossier"
    label = "dossier"
    verbose_name = "Electronic dossier"

    def ready(self) -> None:
        # The transparency log learns of this app's leaves by registration, not by importing the app.
        from smartcourt.audit.leaf_sources import register_leaf_source
        from smartcourt.dossier.leaves import FILED_ENTRIES

        register_leaf_source(FILED_ENTRIES)
