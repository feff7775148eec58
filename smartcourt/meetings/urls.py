from django.urls import URLPattern, path

from smartcourt.meetings import views

app_name = "meetings"

urlpatterns: list[URLPattern] = [
    path("mine/", views.mine, name="mine"),
    path("verify/", views.verify, name="verify"),
    path("case/<uuid:case_id>/", views.meeting_list, name="list"),
    path("case/<uuid:case_id>/convene/", views.convene, name="convene"),
    path("<uuid:meeting_id>/", views.detail, name="detail"),
    path("<uuid:meeting_id>/sign-in/", views.sign_in_view, name="sign_in"),
    path("<uuid:meeting_id>/vote/", views.vote, name="vote"),
    path("<uuid:meeting_id>/ask/", views.ask, name="ask"),
    path("<uuid:meeting_id>/questions/<uuid:question_id>/answer/", views.answer, name="answer"),
    path("<uuid:meeting_id>/items/<uuid:item_id>/documents/", views.attach, name="attach"),
    path("<uuid:meeting_id>/rights/<uuid:right_id>/amounts/", views.amounts, name="amounts"),
    path("<uuid:meeting_id>/close/", views.close, name="close"),
    path("<uuid:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:meeting_id>/documents/<uuid:document_id>/", views.document, name="document"),
    path("<uuid:meeting_id>/papers/<str:which>/", views.paper, name="paper"),
    path("<uuid:meeting_id>/ballots.json", views.published_ballots, name="ballots"),
]
