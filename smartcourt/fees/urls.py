from django.urls import path

from smartcourt.fees import views

app_name = "fees"

urlpatterns = [
    path("<uuid:fee_id>/", views.fee_page, name="fee"),
    path("<uuid:fee_id>/relief/", views.apply_relief, name="apply_relief"),
    path("<uuid:fee_id>/relief/<uuid:relief_id>/decide/", views.decide_relief, name="decide_relief"),
    path("<uuid:fee_id>/refunds/", views.request_refund, name="request_refund"),
    path("<uuid:fee_id>/refunds/<uuid:refund_id>/confirm/", views.confirm_refund, name="confirm_refund"),
    path("<uuid:fee_id>/refunds/<uuid:refund_id>/approve/", views.approve_refund, name="approve_refund"),
]
