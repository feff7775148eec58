from django.urls import path

from smartcourt.administrators import views

app_name = "administrators"

urlpatterns = [
    path("roster/", views.roster, name="roster"),
    path("roster/add/", views.roster_add, name="roster_add"),
    path("roster/register/", views.roster_register, name="roster_register"),
    path("roster/<uuid:entry_id>/", views.roster_update, name="roster_update"),
    path("roster/<uuid:entry_id>/weight/", views.roster_weight, name="roster_weight"),
    path("appointments/<uuid:appointment_id>/", views.appointment_detail, name="appointment"),
]
