"""Pages of the web shell: the role home pages, the case list and the case page."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import push_url

from smartcourt.accounts.models import Organisation, User
from smartcourt.cases.actions import reveal_identity_number
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.forms import CaseFilterForm
from smartcourt.cases.homepages import home_page
from smartcourt.cases.selectors import (
    case_members,
    cases_visible_to,
    filter_cases,
    get_case_for,
    recent_timeline,
)
from smartcourt.core.errors import DomainError, NotFound, PermissionDenied
from smartcourt.core.htmx import HtmxHttpRequest

CASES_PER_PAGE = 25
TIMELINE_LENGTH = 30


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    template, context = home_page(user)
    return render(request, template, context)


@login_required
def case_list(request: HtmxHttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    visible = cases_visible_to(user)
    courts = Organisation.objects.filter(pk__in=visible.values("court_id")).order_by("court_code")
    years = visible.order_by("-year").values_list("year", flat=True).distinct()
    form = CaseFilterForm(request.GET, courts=[(court.court_code, court.name) for court in courts], years=list(years))
    results = filter_cases(visible, form.filters()).order_by(*form.ordering())
    query = form.query()
    page = Paginator(results, CASES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "query": query,
        "filtered": bool(query.keys() - {"sort"}),
    }
    # A history restore asks for the whole page again, although it comes from htmx.
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "cases/case_list.html#results", context)
        # The server decides the address, so the bar shows the clean query (no empty parameters, the page).
        if page.number > 1:
            query = query.copy()
            query["page"] = str(page.number)
        push_url(response, f"{reverse('cases:list')}?{query.urlencode()}" if query else reverse("cases:list"))
    else:
        response = render(request, "cases/case_list.html", context)
    # The same address answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _case_page(request: HttpRequest, case_id: uuid.UUID, *, revealed: dict[str, str] | None = None) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        case = get_case_for(user, case_id)
    except NotFound as exc:
        raise Http404(_("No such case")) from exc
    origin_visible = case.origin_id is not None and cases_visible_to(user).filter(pk=case.origin_id).exists()
    members = list(case_members(case))
    # A bankruptcy case gathers hundreds of events: the page shows the latest, with a link to all of them.
    show_all = request.GET.get("timeline") == "all"
    timeline, timeline_total = recent_timeline(case, limit=None if show_all else TIMELINE_LENGTH)
    context = {
        "case": case,
        "origin_visible": origin_visible,
        "parties": case.parties.all(),
        "members": members,
        "has_administrator": any(member.role == MemberRole.ADMINISTRATOR for member in members),
        "timeline": timeline,
        "timeline_total": timeline_total,
        # Identity numbers are masked for everybody (DESIGN.md §6); court staff may reveal one, and that is audited.
        "can_reveal": user.is_court_staff,
        "revealed": revealed or {},
    }
    return render(request, "cases/case_detail.html", context)


@login_required
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _case_page(request, case_id)


@login_required
@require_POST
def reveal_identity(request: HtmxHttpRequest, case_id: uuid.UUID, party_id: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        number = reveal_identity_number(actor=user, case_id=case_id, party_id=party_id)
    except NotFound as exc:
        raise Http404(_("No such case")) from exc
    except PermissionDenied as exc:
        raise Forbidden(exc.message) from exc
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    if request.htmx:
        return render(request, "cases/_identity_revealed.html", {"number": number})
    # Without JavaScript the whole page comes back, with this one number shown in full.
    return _case_page(request, case_id, revealed={str(party_id): number})
