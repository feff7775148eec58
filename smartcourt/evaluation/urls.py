from django.urls import URLPattern, path

from smartcourt.evaluation import views

app_name = "evaluation"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("formula/", views.formula, name="formula"),
    path("firms/<uuid:firm_id>/evaluate/", views.evaluate, name="evaluate"),
    path("<uuid:evaluation_id>/", views.detail, name="detail"),
    path("<uuid:evaluation_id>/events/<str:measure>/", views.events, name="events"),
    path("<uuid:evaluation_id>/assess/", views.assess, name="assess"),
    path("<uuid:evaluation_id>/respond/", views.respond_view, name="respond"),
    path("<uuid:evaluation_id>/apply-grade/", views.apply_grade, name="apply_grade"),
    path("<uuid:evaluation_id>/apply-weight/", views.apply_weight, name="apply_weight"),
]
