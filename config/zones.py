"""Which zone serves each route (issue 18, ADR 0012).

One table for the whole site, beside config/urls.py which routes to every app. A key is a route as Django writes
it (``resolver_match.route``, converters included): a key ending in "/" covers every route under it, any other
key only that exact route; the longest key that covers a route decides. A route no key covers is served by
neither zone (fail closed), and ``tests/test_zones.py`` fails on it, so a new page cannot ship without a decision.

How the decision is made: a page only court staff or the bank use is the court's; a page only outside users use
(parties, lawyers, creditors, administrators) is the internet's; a page both sides work on (the case, its
dossier, claims, meetings, documents) is served by both, each zone showing what its users may see. Money moves
on the court side only: the bank and the payment service talk to the court zone over dedicated lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from config.api import error_response
from smartcourt.core.errors import CoreError
from smartcourt.core.zones import BOTH, COURT_ONLY, INTERNET_ONLY, Zone, serves

ROUTE_ZONES: dict[str, frozenset[Zone]] = {
    # Shared furniture: sign-in, language, the icon, the home (each user's work list).
    "": BOTH,
    "favicon.ico": BOTH,
    "accounts/": BOTH,
    # Single sign-on from the court's case system (法综) is for court staff (ADR 0012).
    "accounts/sso/": COURT_ONLY,
    "i18n/": BOTH,
    # The case and what both sides work on.
    "cases/": BOTH,
    "cases/<uuid:case_id>/staffing/": COURT_ONLY,
    # Merged bankruptcy: the judge moves a consolidated debtor's own case's claims into the lead case.
    "cases/<uuid:case_id>/claims/take-over/": COURT_ONLY,
    # Public rules and calculators; the holiday calendar is kept by the court administrator.
    "rules/": BOTH,
    "rules/holidays/": COURT_ONLY,
    # Bankruptcy: intake, the supervision board and the court's rulings on a case are the court's; the
    # administrator starts, documents and completes nodes from the internet.
    "bankruptcy/intake/": COURT_ONLY,
    "bankruptcy/board/": COURT_ONLY,
    "bankruptcy/rulepack/": BOTH,
    "bankruptcy/cases/": BOTH,
    "bankruptcy/cases/<uuid:case_id>/dates/": COURT_ONLY,
    "bankruptcy/cases/<uuid:case_id>/convert/": COURT_ONLY,
    "bankruptcy/cases/<uuid:case_id>/consolidation/": COURT_ONLY,
    # ... but the administrator records the plan's structure of a consolidated reorganisation from the internet.
    "bankruptcy/cases/<uuid:case_id>/consolidation/plan-structure/": BOTH,
    "bankruptcy/cases/<uuid:case_id>/nodes/<str:key>/confirm/": COURT_ONLY,
    "bankruptcy/cases/<uuid:case_id>/nodes/<str:key>/return/": COURT_ONLY,
    "bankruptcy/cases/<uuid:case_id>/nodes/<str:key>/extend/": COURT_ONLY,
    # The roster and appointments are kept by the court.
    "administrators/": COURT_ONLY,
    # Evidence: anyone verifies; depositors deposit from the internet; the log is run by the court (ADR 0011).
    "evidence/": BOTH,
    "evidence/deposits/": INTERNET_ONLY,
    "evidence/deposits/<uuid:deposit_id>/receipt": BOTH,
    "evidence/log/": COURT_ONLY,
    # Claims: a creditor's own pages are on the internet; the case's claims are worked on by both.
    "claims/": INTERNET_ONLY,
    # Documents: templates are the court's; a recipient's inbox is on the internet.
    "documents/": BOTH,
    "documents/templates/": COURT_ONLY,
    "documents/inbox/": INTERNET_ONLY,
    # Funds: the review and approval queue is the court's; the case's account page is both sides'.
    "funds/": BOTH,
    "funds/queue/": COURT_ONLY,
    "funds/cases/<uuid:case_id>/payments/<uuid:payment_id>/decide/": COURT_ONLY,
    # Online filing: parties file on the internet; filing clerks review in the court.
    "filing/": BOTH,
    "filing/new/": INTERNET_ONLY,
    "filing/queue/": COURT_ONLY,
    "filing/assignment-rules/": COURT_ONLY,
    "filing/<uuid:filing_id>/edit/": INTERNET_ONLY,
    "filing/<uuid:filing_id>/withdraw/": INTERNET_ONLY,
    "filing/<uuid:filing_id>/pay/": INTERNET_ONLY,
    # The applicant attaches and removes files on the internet; both sides read them.
    "filing/<uuid:filing_id>/materials/": INTERNET_ONLY,
    "filing/<uuid:filing_id>/complaint/": INTERNET_ONLY,
    "filing/<uuid:filing_id>/materials/<uuid:material_id>/": BOTH,
    "filing/<uuid:filing_id>/materials/<uuid:material_id>/remove/": INTERNET_ONLY,
    "filing/<uuid:filing_id>/review/": COURT_ONLY,
    "filing/<uuid:filing_id>/correction/": COURT_ONLY,
    "filing/<uuid:filing_id>/reject/": COURT_ONLY,
    "filing/<uuid:filing_id>/docket/": COURT_ONLY,
    # Fees: the party applies and sees; the judge decides relief, the court approves refunds.
    "fees/": BOTH,
    "fees/<uuid:fee_id>/relief/<uuid:relief_id>/decide/": COURT_ONLY,
    "fees/<uuid:fee_id>/refunds/<uuid:refund_id>/approve/": COURT_ONLY,
    # Meetings: creditors sign in, vote and ask from the internet; the court and administrator run them.
    "meetings/": BOTH,
    "meetings/mine/": INTERNET_ONLY,
    "meetings/<uuid:meeting_id>/sign-in/": INTERNET_ONLY,
    "meetings/<uuid:meeting_id>/vote/": INTERNET_ONLY,
    "meetings/<uuid:meeting_id>/ask/": INTERNET_ONLY,
    # Distributions: the administrator prepares; the court rules and approves; payment files go to the bank
    # from the court side only.
    "distributions/": BOTH,
    "distributions/plans/<uuid:plan_id>/rule/": COURT_ONLY,
    "distributions/batches/<uuid:batch_id>/approve/": COURT_ONLY,
    "distributions/batches/<uuid:batch_id>/refuse/": COURT_ONLY,
    "distributions/batches/<uuid:batch_id>/send/": COURT_ONLY,
    "distributions/batches/<uuid:batch_id>/pain001.xml": COURT_ONLY,
    # Evaluation: the court assesses; a firm answers from the internet.
    "evaluation/": BOTH,
    "evaluation/firms/": COURT_ONLY,
    "evaluation/<uuid:evaluation_id>/assess/": COURT_ONLY,
    "evaluation/<uuid:evaluation_id>/apply-grade/": COURT_ONLY,
    "evaluation/<uuid:evaluation_id>/apply-weight/": COURT_ONLY,
    "evaluation/<uuid:evaluation_id>/respond/": INTERNET_ONLY,
    # Dashboards are the court's.
    "analytics/": COURT_ONLY,
    # The JSON API: the same split, by resource.
    "api/v1/": BOTH,
    "api/v1/administrators/": COURT_ONLY,
    "api/v1/analytics/": COURT_ONLY,
    "api/v1/banking/": COURT_ONLY,
    "api/v1/bankruptcy/statistics": COURT_ONLY,
    "api/v1/bankruptcy/cases/<case_id>/consolidation": COURT_ONLY,
    "api/v1/bankruptcy/cases/<case_id>/convert": COURT_ONLY,
    "api/v1/bankruptcy/cases/<case_id>/dates": COURT_ONLY,
    "api/v1/bankruptcy/cases/<case_id>/nodes/<key>/confirm": COURT_ONLY,
    "api/v1/bankruptcy/cases/<case_id>/nodes/<key>/return": COURT_ONLY,
    "api/v1/bankruptcy/cases/<case_id>/nodes/<key>/extend": COURT_ONLY,
    "api/v1/cases/<case_id>/staffing": COURT_ONLY,
    "api/v1/distributions/mine": INTERNET_ONLY,
    "api/v1/evaluation/firms/": COURT_ONLY,
    "api/v1/evidence/deposits": INTERNET_ONLY,
    "api/v1/evidence/deposits/<deposit_id>/receipt": BOTH,
    # The payment service notifies the court over its line, as the bank does.
    "api/v1/fees/notifications": COURT_ONLY,
    "api/v1/funds/payments/<payment_id>/decision": COURT_ONLY,
    "api/v1/funds/payments/<payment_id>/review": COURT_ONLY,
    "api/v1/intake/": COURT_ONLY,
    "api/v1/meetings/<meeting_id>/sign-in": INTERNET_ONLY,
    "api/v1/meetings/<meeting_id>/votes": INTERNET_ONLY,
    "api/v1/transparency/alarms": COURT_ONLY,
}


def zones_for_route(route: str) -> frozenset[Zone]:
    """The zones that serve a route, by the longest key that covers it; none for a route nobody declared."""
    covering = (key for key in ROUTE_ZONES if key == route or (key.endswith("/") and route.startswith(key)))
    best = max(covering, key=len, default=None)
    return frozenset() if best is None else ROUTE_ZONES[best]


class ZoneMiddleware:
    """A route of the other zone is not there: 404, before any authentication or view runs.

    In the single-process install every route is served and this does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or serves(zones_for_route(match.route)):
            return None
        if match.route.startswith("api/"):
            # The API's one error shape (config/api.py), as for any other missing resource.
            return error_response(request, status=404, code=CoreError.NOT_FOUND, message=_("Not found"))
        raise Http404(_("This page is not served on this network"))
