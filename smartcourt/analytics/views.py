"""The court's dashboards: six panels, each a chart drawn by ECharts from the table beside it, with an xlsx
export; filters by court, year and case type. Glue only."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.accounts.web import signed_in_user
from smartcourt.analytics.export import panel_xlsx
from smartcourt.analytics.selectors import (
    PANELS,
    TYPES,
    Filters,
    court_choices,
    dashboard,
    last_refresh,
    totals,
    year_choices,
)
from smartcourt.cases.choices import CASE_TYPE_CODE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest) -> Filters:
    year = request.GET.get("year", "")
    case_type = request.GET.get("type", "")
    try:
        court_id = uuid.UUID(request.GET.get("court", "")) if request.GET.get("court") else None
    except ValueError as exc:
        raise Http404(_("No such court")) from exc
    return Filters(
        court_id=court_id,
        year=int(year) if year.isdigit() and 1990 <= int(year) <= 2100 else None,
        case_type=case_type if case_type in TYPES else "",
    )


def _valid_court(user: User, filters: Filters) -> list[object]:
    courts = court_choices(user)
    if filters.court_id and filters.court_id not in {court.pk for court in courts}:
        raise Http404(_("No such court"))
    return list(courts)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    filters = _filters(request)
    courts = _valid_court(user, filters)
    panels = dashboard(user, filters)
    context = {
        "panels": panels,
        "charts": {panel.key: panel.chart() for panel in panels},
        "filters": filters,
        "courts": courts,
        "years": year_choices(user),
        "types": [(t, CASE_TYPE_CODE[t]) for t in TYPES],
        "totals": totals(user, filters),
        "refresh": last_refresh(),
        "query": request.GET.urlencode(),
    }
    return render(request, "analytics/index.html", context)


@login_required
def export(request: HttpRequest, panel: str) -> HttpResponse:
    user = signed_in_user(request)
    if panel not in PANELS:
        raise Http404(_("No such table"))
    filters = _filters(request)
    _valid_court(user, filters)
    table = PANELS[panel](user, filters)
    scope = " · ".join(
        part
        for part in (
            user.full_name,
            str(filters.year or _("all years")),
            CASE_TYPE_CODE.get(filters.case_type, _("all types")),
        )
        if part
    )
    response = HttpResponse(panel_xlsx(table, scope=scope), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{table.title}.xlsx") or ""
    return response
