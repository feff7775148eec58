"""The roster page (court staff read it, court administrators keep it) and the appointment page, which shows
how the firm was chosen: for a draw, the seed, the candidates and the computed index, checked again."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.accounts.web import signed_in_user
from smartcourt.administrators import actions
from smartcourt.administrators.choices import AppointmentMethod, Grade
from smartcourt.administrators.draw import canonical_candidates, verify_draw
from smartcourt.administrators.forms import AddToRosterForm, DrawWeightForm, RegisterFirmForm, UpdateEntryForm
from smartcourt.administrators.selectors import (
    firms_not_on_roster,
    get_appointment_for,
    roster_court_for,
    roster_entries,
)
from smartcourt.core.errors import DomainError
from smartcourt.core.web import form_error, refused


def _court(request: HttpRequest) -> tuple[User, Organisation]:
    user = signed_in_user(request)
    return user, roster_court_for(user)


def _keeper(request: HttpRequest) -> tuple[User, Organisation]:
    user, court = _court(request)
    if user.role != Role.COURT_ADMIN:
        raise Forbidden(_("Only the court's administrators keep its administrator roster"))
    return user, court


def _page(
    request: HttpRequest,
    court: Organisation,
    *,
    add_form: AddToRosterForm | None = None,
    register_form: RegisterFirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    today = timezone.localdate()
    context = {
        "court": court,
        "entries": roster_entries(court),
        "keeper": user.role == Role.COURT_ADMIN,
        "grades": Grade.choices,
        "add_form": add_form or AddToRosterForm(firms=firms_not_on_roster(court), initial={"listed_on": today}),
        "register_form": register_form or RegisterFirmForm(initial={"listed_on": today}),
    }
    return render(request, "administrators/roster.html", context, status=status)


@login_required
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    _, court = _court(request)
    return _page(request, court)


@login_required
@require_POST
def roster_add(request: HttpRequest) -> HttpResponse:
    user, court = _keeper(request)
    form = AddToRosterForm(request.POST, firms=firms_not_on_roster(court))
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = actions.add_to_roster(
                actor=user, court=court, firm=data["firm"], grade=data["grade"], listed_on=data["listed_on"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(firm)s is on the roster.") % {"firm": entry.firm.name})
            return redirect("administrators:roster")
    return _page(request, court, add_form=form, status=422)


@login_required
@require_POST
def roster_register(request: HttpRequest) -> HttpResponse:
    user, court = _keeper(request)
    form = RegisterFirmForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = actions.register_firm(
                actor=user,
                court=court,
                name=data["name"],
                credit_code=data["credit_code"],
                grade=data["grade"],
                listed_on=data["listed_on"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(firm)s is on the roster.") % {"firm": entry.firm.name})
            return redirect("administrators:roster")
    return _page(request, court, register_form=form, status=422)


@login_required
@require_POST
def roster_update(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    user, _court_kept = _keeper(request)
    form = UpdateEntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a grade."))
        return redirect("administrators:roster")
    try:
        entry = actions.update_roster_entry(
            actor=user, entry_id=entry_id, grade=form.cleaned_data["grade"], active=form.cleaned_data["active"]
        )
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("%(firm)s updated.") % {"firm": entry.firm.name})
    return redirect("administrators:roster")


@login_required
@require_POST
def roster_weight(request: HttpRequest, entry_id: uuid.UUID) -> HttpResponse:
    user, _court_kept = _keeper(request)
    form = DrawWeightForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a draw weight from 1 to 10 and the reason."))
        return redirect("administrators:roster")
    try:
        entry = actions.set_draw_weight(
            actor=user, entry_id=entry_id, weight=form.cleaned_data["weight"], reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("%(firm)s updated.") % {"firm": entry.firm.name})
    return redirect("administrators:roster")


@login_required
@require_GET
def appointment_detail(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    appointment = get_appointment_for(user, appointment_id)
    candidates = list(appointment.candidates or [])
    context = {
        "appointment": appointment,
        "case": appointment.case,
        "candidates": candidates,
        "canonical": canonical_candidates(candidates).decode(),
        "check": verify_draw(appointment),
        "is_draw": appointment.method == AppointmentMethod.RANDOM_DRAW,
        "is_rotation": appointment.method == AppointmentMethod.ROTATION,
    }
    return render(request, "administrators/appointment.html", context)
