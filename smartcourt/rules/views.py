"""The court administrators' holiday table page: one year's rest days and make-up working days, with forms
to enter, remove and publish them. Glue only: the rules live in actions and selectors."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.core.errors import DomainError
from smartcourt.core.web import form_error, refused
from smartcourt.rules import actions
from smartcourt.rules.calendar import holiday_calendar_version
from smartcourt.rules.forms import HolidayForm, PublishYearForm, RemoveHolidayForm
from smartcourt.rules.models import MAX_YEAR, MIN_YEAR
from smartcourt.rules.selectors import holiday_year


def _court_admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role != Role.COURT_ADMIN:
        raise Forbidden(_("Only court administrators keep the holiday table"))
    return user


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("No such year"))


def _page(
    request: HttpRequest,
    year: int,
    *,
    form: HolidayForm | None = None,
    publish_form: PublishYearForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "view": holiday_year(year),
        "form": form or HolidayForm(initial={"date": dt.date(year, 1, 1)}),
        "publish_form": publish_form or PublishYearForm(),
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "calendar_version": holiday_calendar_version(),
    }
    return render(request, "rules/holiday_table.html", context, status=status)


@login_required
@require_GET
def holidays_now(request: HttpRequest) -> HttpResponse:
    _court_admin(request)
    return redirect("rules:holidays", year=timezone.localdate().year)


@login_required
@require_GET
def holidays(request: HttpRequest, year: int) -> HttpResponse:
    _court_admin(request)
    _check_year(year)
    return _page(request, year)


@login_required
@require_POST
def set_holiday(request: HttpRequest, year: int) -> HttpResponse:
    user = _court_admin(request)
    _check_year(year)
    form = HolidayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = actions.set_holiday(
                actor=user, date=data["date"], kind=data["kind"], name=data["name"], source=data["source"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(date)s saved in the holiday table.") % {"date": entry.date.isoformat()})
            return redirect("rules:holidays", year=entry.date.year)
    return _page(request, year, form=form, status=422)


@login_required
@require_POST
def remove_holiday(request: HttpRequest, year: int) -> HttpResponse:
    user = _court_admin(request)
    _check_year(year)
    form = RemoveHolidayForm(request.POST)
    if not form.is_valid():
        raise Http404(_("No such entry"))
    try:
        actions.remove_holiday(actor=user, date=form.cleaned_data["date"])
    except DomainError as exc:
        refused(request, exc)
    else:
        day = form.cleaned_data["date"].isoformat()
        messages.success(request, _("%(date)s removed from the holiday table.") % {"date": day})
    return redirect("rules:holidays", year=year)


@login_required
@require_POST
def publish_year(request: HttpRequest, year: int) -> HttpResponse:
    user = _court_admin(request)
    _check_year(year)
    form = PublishYearForm(request.POST)
    if form.is_valid():
        try:
            actions.publish_holiday_year(actor=user, year=year, source=form.cleaned_data["source"])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(year)s published: deadlines in it now use the table.") % {"year": year})
            return redirect("rules:holidays", year=year)
    return _page(request, year, publish_form=form, status=422)


@login_required
@require_POST
def withdraw_year(request: HttpRequest, year: int) -> HttpResponse:
    user = _court_admin(request)
    _check_year(year)
    try:
        actions.withdraw_holiday_year(actor=user, year=year)
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.warning(request, _("%(year)s is no longer published by the court.") % {"year": year})
    return redirect("rules:holidays", year=year)
