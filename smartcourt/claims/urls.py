from django.urls import path

from smartcourt.claims import views

app_name = "claims"

urlpatterns = [
    path("claims/mine/", views.tracker, name="tracker"),
    path("claims/register/", views.register, name="register"),
    path("claims/portal/", views.portal, name="portal"),
    path("claims/portal/<uuid:case_id>/join/", views.join, name="join"),
    path("cases/<uuid:case_id>/claims/", views.claim_list, name="list"),
    path("cases/<uuid:case_id>/claims/declare/", views.declare, name="declare"),
    path("cases/<uuid:case_id>/claims/batch-review/", views.batch_review, name="batch_review"),
    path("cases/<uuid:case_id>/claims/confirm/", views.confirm, name="confirm"),
    path("cases/<uuid:case_id>/claims/table/", views.table, name="table"),
    path("cases/<uuid:case_id>/claims/table/sign/", views.table_sign, name="table_sign"),
    path("cases/<uuid:case_id>/claims/table/signed/<uuid:table_id>.pdf", views.table_pdf, name="table_pdf"),
    path("cases/<uuid:case_id>/claims/import/", views.import_list, name="import"),
    path("cases/<uuid:case_id>/claims/take-over/<uuid:member_case_id>/", views.take_over, name="take_over"),
    path("cases/<uuid:case_id>/claims/employees/", views.employees, name="employees"),
    path("cases/<uuid:case_id>/claims/employees/publish/", views.employees_publish, name="employees_publish"),
    path("cases/<uuid:case_id>/claims/employees/link/", views.employees_link, name="employees_link"),
    path(
        "cases/<uuid:case_id>/claims/employees/<uuid:creditor_id>/object/",
        views.employees_object,
        name="employees_object",
    ),
    path(
        "cases/<uuid:case_id>/claims/employees/objections/<uuid:objection_id>/answer/",
        views.employees_answer,
        name="employees_answer",
    ),
    path("cases/<uuid:case_id>/claims/<uuid:claim_id>/", views.claim_detail, name="detail"),
    path("cases/<uuid:case_id>/claims/<uuid:claim_id>/review/", views.review, name="review"),
    path("cases/<uuid:case_id>/claims/<uuid:claim_id>/object/", views.object_view, name="object"),
    path("cases/<uuid:case_id>/claims/<uuid:claim_id>/resolve/", views.resolve, name="resolve"),
    path("cases/<uuid:case_id>/claims/<uuid:claim_id>/power-of-attorney/", views.check_poa, name="check_poa"),
    path(
        "cases/<uuid:case_id>/claims/<uuid:claim_id>/documents/<uuid:document_id>/",
        views.document,
        name="document",
    ),
]
