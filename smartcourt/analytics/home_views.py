"""The home page: the role's page from cases.homepages with the user's work list on top (analytics.worklist).
Here rather than in cases because the work list reads several domain apps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartcourt.accounts.web import signed_in_user
from smartcourt.analytics.worklist import work_list
from smartcourt.cases.homepages import home_page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    template, context = home_page(user)
    context["work"] = work_list(user)
    return render(request, template, context)
