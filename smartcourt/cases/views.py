"""Placeholder views; the web shell replaces them."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("cases")


@login_required
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return HttpResponse("case")
