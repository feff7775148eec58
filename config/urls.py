from django.urls import include, path

from config.api import api
from smartcourt.analytics import home_views
from smartcourt.core import error_pages

urlpatterns = [
    path("favicon.ico", error_pages.FaviconView.as_view()),
    path("", home_views.home, name="home"),
    path("accounts/", include("smartcourt.accounts.urls")),
    path("cases/", include("smartcourt.cases.urls")),
    path("cases/<uuid:case_id>/exports/", include("smartcourt.exports.urls")),
    path("cases/<uuid:case_id>/dossier/", include("smartcourt.dossier.urls")),
    path("cases/<uuid:case_id>/correspondence/", include("smartcourt.correspondence.urls")),
    path("rules/", include("smartcourt.rules.urls")),
    path("bankruptcy/intake/", include("smartcourt.bankruptcy.intake.urls")),
    path("bankruptcy/", include("smartcourt.bankruptcy.urls")),
    path("administrators/", include("smartcourt.administrators.urls")),
    path("evidence/", include("smartcourt.evidence.urls")),
    path("", include("smartcourt.claims.urls")),
    path("documents/", include("smartcourt.documents.urls")),
    path("funds/", include("smartcourt.funds.urls")),
    path("filing/", include("smartcourt.filing.urls")),
    path("fees/", include("smartcourt.fees.urls")),
    path("meetings/", include("smartcourt.meetings.urls")),
    path("distributions/", include("smartcourt.distributions.urls")),
    path("evaluation/", include("smartcourt.evaluation.urls")),
    path("analytics/", include("smartcourt.analytics.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Error pages in the site's layout, in the user's language, with the menu and a way back.
handler400 = error_pages.bad_request
handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error
