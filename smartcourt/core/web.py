"""What every HTML view does with an action's refusal, written once.

An action refuses with a ``DomainError``. Two kinds are not the page's to show: ``NotFound`` (the record
does not exist for this user) and ``PermissionDenied`` (he may see it but not do this). The helpers below
re-raise those, and ``DomainErrorMiddleware`` turns them into Django's ``Http404`` and ``PermissionDenied``,
which the project's handler404 and handler403 render. Every other refusal is the user's to correct: on the
form, at the field at fault when the form has it, or as a message on the page he is sent back to.

A view therefore writes::

    try:
        thing = do_something(actor=user, ...)
    except DomainError as exc:
        form_error(form, exc)
    else:
        return redirect(...)
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from smartcourt.core.errors import DomainError, NotFound, PermissionDenied

__all__ = ["form_error", "raise_if_access_error", "refused"]


def raise_if_access_error(exc: DomainError) -> None:
    """Re-raise ``exc`` if it is a 404 or 403 refusal, for DomainErrorMiddleware to answer."""
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc


def form_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show ``exc`` on ``form``: on its field when the form has that field, above the form otherwise."""
    raise_if_access_error(exc)
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def refused(request: HttpRequest, exc: DomainError) -> None:
    """Show ``exc`` as an error message on the next page the user sees."""
    raise_if_access_error(exc)
    messages.error(request, exc.message)


def perform(request: HttpRequest, run: Callable[[], object], done: str) -> bool:
    """Run a button's action: ``done`` as a success message, or the refusal as an error message (a 404 or 403
    refusal goes on to DomainErrorMiddleware). Whether it ran; the view redirects either way."""
    try:
        run()
    except DomainError as exc:
        refused(request, exc)
        return False
    messages.success(request, done)
    return True
