from django.urls import path

from smartcourt.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.start, name="start"),
    path("<uuid:job_id>/", views.job, name="job"),
    path("<uuid:job_id>/download", views.download, name="download"),
]
