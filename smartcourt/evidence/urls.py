from django.urls import path

from smartcourt.evidence import views

app_name = "evidence"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("deposits/", views.deposits, name="deposits"),
    path("deposits/<uuid:deposit_id>/receipt", views.deposit_receipt, name="deposit_receipt"),
    path("dossier/<uuid:entry_id>/receipt", views.dossier_receipt, name="dossier_receipt"),
    path("log/", views.log_admin, name="log_admin"),
    path("log/sign", views.sign_now, name="sign_now"),
    path("log/witnesses", views.witness_add, name="witness_add"),
    path("log/witnesses/<uuid:witness_id>/active", views.witness_active, name="witness_active"),
]
