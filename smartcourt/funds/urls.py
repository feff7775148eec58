from django.urls import path

from smartcourt.funds import views

app_name = "funds"

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("cases/<uuid:case_id>/", views.overview, name="overview"),
    path("cases/<uuid:case_id>/live/", views.live, name="live"),
    path("cases/<uuid:case_id>/account/", views.account, name="account"),
    path("cases/<uuid:case_id>/payments/new/", views.new_payment, name="new_payment"),
    path("cases/<uuid:case_id>/payments/<uuid:payment_id>/", views.payment, name="payment"),
    path("cases/<uuid:case_id>/payments/<uuid:payment_id>/edit/", views.edit, name="edit"),
    path("cases/<uuid:case_id>/payments/<uuid:payment_id>/decide/", views.decide, name="decide"),
    path("cases/<uuid:case_id>/alerts/<uuid:alert_id>/resolve/", views.resolve, name="resolve"),
]
