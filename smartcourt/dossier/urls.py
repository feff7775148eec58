from django.urls import path

from smartcourt.dossier import views

app_name = "dossier"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:number>/file", views.entry_file, name="file"),
    path("<int:number>/correct/", views.correct, name="correct"),
]
