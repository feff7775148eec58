from django.urls import path

from smartcourt.bankruptcy.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.intake, name="intake"),
    path("register/", views.register, name="register"),
    path("review/<uuid:case_id>/", views.review, name="review"),
    path("review/<uuid:case_id>/rule/", views.rule, name="rule"),
    path("cases/<uuid:case_id>/appoint/", views.appoint, name="appoint"),
]
