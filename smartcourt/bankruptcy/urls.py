from django.urls import path

from smartcourt.bankruptcy import views

app_name = "bankruptcy"

urlpatterns = [
    path("rulepack/", views.rulepack, name="rulepack"),
    path("board/", views.board, name="board"),
    path("cases/<uuid:case_id>/", views.case_nodes, name="case_nodes"),
    path("cases/<uuid:case_id>/dates/", views.set_date, name="set_date"),
    path("cases/<uuid:case_id>/convert/", views.convert, name="convert"),
    path("cases/<uuid:case_id>/consolidation/", views.consolidate, name="consolidate"),
    path("cases/<uuid:case_id>/consolidation/service/", views.consolidation_served, name="consolidation_served"),
    path("cases/<uuid:case_id>/consolidation/plan-structure/", views.plan_structure, name="plan_structure"),
    path(
        "cases/<uuid:case_id>/consolidation/reconsiderations/",
        views.reconsideration_applied,
        name="reconsideration_applied",
    ),
    path(
        "cases/<uuid:case_id>/consolidation/reconsiderations/<uuid:reconsideration_id>/decision/",
        views.reconsideration_decided,
        name="reconsideration_decided",
    ),
    path("cases/<uuid:case_id>/nodes/<str:key>/start/", views.start_node, name="start"),
    path("cases/<uuid:case_id>/nodes/<str:key>/outputs/", views.provide_output, name="outputs"),
    path("cases/<uuid:case_id>/nodes/<str:key>/complete/", views.complete_node, name="complete"),
    path("cases/<uuid:case_id>/nodes/<str:key>/confirm/", views.confirm_node, name="confirm"),
    path("cases/<uuid:case_id>/nodes/<str:key>/return/", views.return_node, name="return"),
    path("cases/<uuid:case_id>/nodes/<str:key>/extend/", views.extend_deadline, name="extend"),
]
