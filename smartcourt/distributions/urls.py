from django.urls import path

from smartcourt.distributions import views

app_name = "distributions"

urlpatterns = [
    path("cases/<uuid:case_id>/", views.case_plans, name="case_plans"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<uuid:plan_id>/summary/", views.plan_summary, name="plan_summary"),
    path("plans/<uuid:plan_id>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<uuid:plan_id>/meeting/", views.plan_meeting, name="plan_meeting"),
    path("plans/<uuid:plan_id>/vote/", views.plan_vote, name="plan_vote"),
    path("plans/<uuid:plan_id>/rule/", views.plan_rule, name="plan_rule"),
    path("plans/<uuid:plan_id>/announce/", views.plan_announce, name="plan_announce"),
    path("plans/<uuid:plan_id>/template.xlsx", views.payments_template, name="payments_template"),
    path("plans/<uuid:plan_id>/upload/", views.upload, name="upload"),
    path("batches/<uuid:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<uuid:batch_id>/submit/", views.batch_submit, name="batch_submit"),
    path("batches/<uuid:batch_id>/approve/", views.batch_approve, name="batch_approve"),
    path("batches/<uuid:batch_id>/refuse/", views.batch_refuse, name="batch_refuse"),
    path("batches/<uuid:batch_id>/send/", views.batch_send, name="batch_send"),
    path("batches/<uuid:batch_id>/report/", views.batch_report, name="batch_report"),
    path("batches/<uuid:batch_id>/pain001.xml", views.batch_pain001, name="batch_pain001"),
]
