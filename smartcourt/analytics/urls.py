from django.urls import URLPattern, path

from smartcourt.analytics import views

app_name = "analytics"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("export/<str:panel>.xlsx", views.export, name="export"),
]
