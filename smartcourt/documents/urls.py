from django.urls import path

from smartcourt.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.library, name="library"),
    path("templates/new/", views.new_template, name="new_template"),
    path("templates/preview/", views.preview, name="preview"),
    path("templates/<slug:key>/", views.edit_template, name="edit_template"),
    path("cases/<uuid:case_id>/", views.case_documents, name="case"),
    path("<uuid:document_id>/pdf", views.document_pdf, name="pdf"),
    path("<uuid:document_id>/draft.docx", views.document_docx, name="docx"),
    path("<uuid:document_id>/sign/", views.sign, name="sign"),
    path("<uuid:document_id>/serve/", views.serve, name="serve"),
    path("<uuid:document_id>/service/", views.service, name="service"),
    path("<uuid:document_id>/deliveries/<uuid:delivery_id>/retry/", views.retry, name="retry"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:delivery_id>/", views.inbox_open, name="inbox_open"),
    path("verify/", views.verify, name="verify"),
]
