"""config.urls plus this app's pages, until config/urls.py includes them (tests use it through pytest.mark.urls)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("rules/", include("smartcourt.rules.urls")),
]
