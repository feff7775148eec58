from django.urls import path

from smartcourt.accounts import sso_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("tokens/app-keys/", views.add_app_key, name="add_app_key"),
    path("tokens/app-keys/<uuid:key_id>/revoke/", views.revoke_app_key, name="revoke_app_key"),
    path("sso/start/", sso_views.start, name="sso_start"),
    path("sso/callback/", sso_views.callback, name="sso_callback"),
    path("sso/backchannel-logout/", sso_views.backchannel_logout, name="sso_backchannel_logout"),
]
