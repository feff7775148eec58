from django.urls import path

from smartcourt.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/staffing/", views.staff, name="staff"),
    path(
        "<uuid:case_id>/parties/<uuid:party_id>/identity-number/",
        views.reveal_identity,
        name="reveal_identity",
    ),
]
