from django.urls import path

from smartcourt.filing import views

app_name = "filing"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("assignment-rules/", views.assignment_rules, name="assignment_rules"),
    path("<uuid:filing_id>/", views.detail, name="detail"),
    path("<uuid:filing_id>/edit/", views.edit, name="edit"),
    path("<uuid:filing_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:filing_id>/review/", views.review, name="review"),
    path("<uuid:filing_id>/correction/", views.correction, name="correction"),
    path("<uuid:filing_id>/reject/", views.reject, name="reject"),
    path("<uuid:filing_id>/docket/", views.docket, name="docket"),
    path("<uuid:filing_id>/pay/", views.pay, name="pay"),
    path("<uuid:filing_id>/materials/", views.upload_material, name="upload_material"),
    path("<uuid:filing_id>/complaint/", views.generate_complaint, name="generate_complaint"),
    path("<uuid:filing_id>/materials/<uuid:material_id>/", views.material_file, name="material_file"),
    path("<uuid:filing_id>/materials/<uuid:material_id>/remove/", views.remove_material, name="remove_material"),
]
