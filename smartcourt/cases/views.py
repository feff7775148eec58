"""Pages of the web shell: the role home pages, the case list and the case page."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import push_url

from smartcourt.accounts.models import Organisation
from smartcourt.accounts.web import signed_in_user
from smartcourt.cases.actions import reveal_identity_number
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.forms import CaseFilterForm, StaffingForm
from smartcourt.cases.links import links_for
from smartcourt.cases.models import Case
from smartcourt.cases.policies import (
    is_bank_of_case,
    is_court_staff_of_case,
    is_judge_of,
    may_see_case_work,
    takes_part_in,
)
from smartcourt.cases.selectors import (
    case_members,
    cases_visible_to,
    filter_cases,
    get_case_for,
    recent_timeline,
)
from smartcourt.cases.staffing import can_staff, staff_case, staffing_of
from smartcourt.core.errors import DomainError
from smartcourt.core.htmx import HtmxHttpRequest
from smartcourt.core.web import form_error, raise_if_access_error

CASES_PER_PAGE = 25
TIMELINE_LENGTH = 30


@login_required
def case_list(request: HtmxHttpRequest) -> HttpResponse:
    user = signed_in_user(request)
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


def _staffing_form(case: Case, data: Any = None) -> StaffingForm:
    staffing = staffing_of(case)
    initial = {
        "composition": staffing.composition,
        "presiding_judge": staffing.presiding_judge,
        "panel_judges": list(staffing.panel_judges),
        "assistant": staffing.assistant,
        "clerk": staffing.clerk,
    }
    return StaffingForm(data, court=case.court, initial=initial)


def _case_page(
    request: HttpRequest,
    case_id: uuid.UUID,
    *,
    revealed: dict[str, str] | None = None,
    staffing_form: StaffingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    case = get_case_for(user, case_id)
    origin_visible = case.origin_id is not None and cases_visible_to(user).filter(pk=case.origin_id).exists()
    members = list(case_members(case))
    # A bankruptcy case gathers hundreds of events: the page shows the latest, with a link to all of them.
    show_all = request.GET.get("timeline") == "all"
    timeline, timeline_total = recent_timeline(user, case, limit=None if show_all else TIMELINE_LENGTH)
    context = {
        "case": case,
        "origin_visible": origin_visible,
        "parties": case.parties.all(),
        "members": members,
        "has_administrator": any(member.role == MemberRole.ADMINISTRATOR for member in members),
        "timeline": timeline,
        "timeline_total": timeline_total,
        # The case's tabs, each shown only to those its page lets in (the pages' policies delegate to these).
        "can": {
            "work": may_see_case_work(user, case),
            "take_part": takes_part_in(user, case),
            "account": may_see_case_work(user, case) or is_bank_of_case(user, case),
            "court": is_court_staff_of_case(user, case),
            "appoint": is_judge_of(user, case),
        },
        # Links of the apps above cases (the fee...), each asked of the linked page's own policy.
        "app_links": links_for(user, case),
        # Identity numbers are masked for everybody (DESIGN.md §6); court staff may reveal one, and that is audited.
        "can_reveal": user.is_court_staff,
        "revealed": revealed or {},
        "staffing": staffing_of(case),
        # Only those who may staff the case see the form (issue 15.15).
        "staffing_form": (staffing_form or _staffing_form(case)) if can_staff(user, case) else None,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _case_page(request, case_id)


@login_required
@require_POST
def reveal_identity(request: HtmxHttpRequest, case_id: uuid.UUID, party_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    try:
        number = reveal_identity_number(actor=user, case_id=case_id, party_id=party_id)
    except DomainError as exc:
        raise_if_access_error(exc)
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
    if request.htmx:
        return render(request, "cases/_identity_revealed.html", {"number": number})
    # Without JavaScript the whole page comes back, with this one number shown in full.
    return _case_page(request, case_id, revealed={str(party_id): number})


@login_required
@require_POST
def staff(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The bench and assistants of the case, set by the court administrator or the presiding judge."""
    user = signed_in_user(request)
    case = get_case_for(user, case_id)
    if not can_staff(user, case):
        raise Forbidden(_("Only the court administrator or the presiding judge staffs a case"))
    form = _staffing_form(case, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            staff_case(
                actor=user,
                case_id=case.pk,
                composition=data["composition"],
                presiding_judge_id=data["presiding_judge"].pk,
                panel_judge_ids=[judge.pk for judge in data["panel_judges"]],
                assistant_id=data["assistant"].pk if data["assistant"] else None,
                clerk_id=data["clerk"].pk if data["clerk"] else None,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The case is staffed."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#staffing-heading")
    return _case_page(request, case_id, staffing_form=form, status=422)
