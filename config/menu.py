"""The main menu: each entry is shown only to those its page lets in, asked through the page's own rule.

A context processor (settings.TEMPLATES), so every page, the error pages included, builds the menu the same
way. It sits in config because it reads the rules of every app, as config/urls.py routes to every app.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from config.zones import zones_for_route
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.analytics.selectors import may_see_dashboards
from smartcourt.core.zones import current_zone, serves
from smartcourt.documents.policies import can_view_templates
from smartcourt.evidence.policies import can_manage_log

# The page each entry opens (partials/navbar.html links to the same names).
MENU_PAGES = {
    "creditor": "claims:tracker",
    "filing": "filing:mine",
    "filing_queue": "filing:queue",
    "intake": "intake:intake",
    "supervision": "bankruptcy:board",
    "payment_queue": "funds:queue",
    "dashboards": "analytics:index",
    "roster": "administrators:roster",
    "evaluation": "evaluation:index",
    "templates": "documents:library",
    "transparency_log": "evidence:log_admin",
    "holidays": "rules:holidays_now",
    "assignment_rules": "filing:assignment_rules",
    "inbox": "documents:inbox",
    "deposits": "evidence:deposits",
}


def _served_here(url_name: str) -> bool:
    """Whether this zone serves the page (issue 18): a menu never links to a page of the other network."""
    return serves(zones_for_route(reverse(url_name).removeprefix("/")))


def menu(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return {"menu": {"register": _served_here("claims:register")}, "zone": _zone_name()}
    court_staff = user.is_court_staff and user.organisation_id is not None
    entries = {
        # claims.views.tracker / portal, meetings.views.mine: a creditor's or party's own pages.
        "creditor": user.role in {Role.CREDITOR, Role.PARTY},
        # filing.views.mine: a party files online; filing.views.queue: the court's filing clerks review.
        "filing": user.role == Role.PARTY,
        "filing_queue": court_staff and user.role == Role.FILING_CLERK,
        # bankruptcy.intake.views: court staff; it is the filing clerk's daily queue.
        "intake": court_staff and user.role == Role.FILING_CLERK,
        # bankruptcy.views.board: court staff of a court.
        "supervision": court_staff,
        # funds.views.queue: the review (assistant) and approval (judge) queues.
        "payment_queue": court_staff and user.role in {Role.JUDGE, Role.JUDGE_ASSISTANT},
        "dashboards": may_see_dashboards(user),
        # administrators.views.roster: the roster of the user's court.
        "roster": court_staff,
        # evaluation.views._allowed_in: the court and the administrator firms.
        "evaluation": user.is_court_staff or user.role == Role.ADMINISTRATOR,
        "templates": can_view_templates(user),
        "transparency_log": can_manage_log(user),
        # rules.views._court_admin: the court administrator keeps the holiday calendar.
        "holidays": court_staff and user.role == Role.COURT_ADMIN,
        # filing.views.assignment_rules: the court administrator sets them (the filing clerks reach them from
        # their queue).
        "assignment_rules": court_staff and user.role == Role.COURT_ADMIN,
        "inbox": True,
        "deposits": True,
    }
    return {
        "menu": {key: shown and _served_here(MENU_PAGES[key]) for key, shown in entries.items()},
        "zone": _zone_name(),
    }


def _zone_name() -> str:
    """ "internet", "court", or "" for the single-process install (pages say which network they are on)."""
    zone = current_zone()
    return "" if zone is None else zone.value
