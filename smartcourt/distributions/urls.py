from django.urls import URLPattern

app_name = "distributions"

urlpatterns: list[URLPattern] = []
