from django.urls import path

from smartcourt.correspondence import views

app_name = "correspondence"

urlpatterns = [
    path("", views.thread_list, name="list"),
    path("new/", views.new_thread, name="new"),
    path("<uuid:thread_id>/", views.thread_detail, name="detail"),
    path("<uuid:thread_id>/answer/", views.answer, name="answer"),
    path("<uuid:thread_id>/resubmit/", views.resubmit_view, name="resubmit"),
]
