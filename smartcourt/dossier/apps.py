from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "smartcourt.dossier"
    label = "dossier"
    verbose_name = "Electronic dossier"
