"""JSON API of the analytics app, mounted by config/api.py at /api/v1/analytics. Glue only: the same panels
(and the same scope) as the dashboards page."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from smartcourt.accounts.web import signed_in_user
from smartcourt.analytics.schemas import PanelOut
from smartcourt.analytics.selectors import PANELS, TYPES, Filters, Panel, court_choices
from smartcourt.core.errors import NotFound
from smartcourt.core.schemas import ERRORS

router = Router(tags=["analytics"])


class FiltersIn(Schema):
    court: uuid.UUID | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    type: str = Field(default="", max_length=32)


@router.get(
    "/panels/{panel}",
    response={200: PanelOut, **ERRORS},
    summary="One dashboard table (months, nodes, judges, firms, money, claims, online) for the caller's cases",
    operation_id="analytics_panel",
)
def panel(request: HttpRequest, panel: str, filters: Query[FiltersIn]) -> Panel:
    user = signed_in_user(request)
    if panel not in PANELS:
        raise NotFound(_("No such table"))
    if filters.type and filters.type not in TYPES:
        raise HttpError(422, "unknown case type")
    chosen = Filters(court_id=filters.court, year=filters.year, case_type=filters.type)
    if chosen.court_id and chosen.court_id not in {court.pk for court in court_choices(user)}:
        raise NotFound("No such court")
    return PANELS[panel](user, chosen)
