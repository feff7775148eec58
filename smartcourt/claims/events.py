"""Claims events. Every claim belongs to the claims pages of those who conduct the case
(claims.policies.can_see_all_claims); a creditor sees his own through the actor rule of cases.events. The
signed claims table and the court's ruling on the undisputed claims are open to every participant (EBL art. 57,
58); never to the supervising bank."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, choices_of, declare
from smartcourt.claims.choices import ClaimNature, ClaimStatus

_VALUES = {"nature": choices_of(ClaimNature), "status": choices_of(ClaimStatus)}
_AMOUNTS = {
    "principal_fen": _("Principal"),
    "interest_fen": _("Interest"),
    "penalties_fen": _("Penalties"),
    "costs_fen": _("Costs"),
    "nature": _("Nature"),
    "number": _("Claim number"),
}

declare(
    EventType("claims.declared", _("Claim declared"), Audience.CASE_WORK, labels=_AMOUNTS, values=_VALUES),
    EventType("claims.reviewed", _("Claim reviewed"), Audience.CASE_WORK, labels=_AMOUNTS, values=_VALUES),
    EventType("claims.list_imported", _("Creditor list imported"), Audience.CASE_WORK),
    EventType("claims.review_notice_served", _("Review notices served"), Audience.CASE_WORK),
    EventType("claims.objection_raised", _("Objection to a claim raised"), Audience.CASE_WORK),
    EventType("claims.objection_resolved", _("Objection to a claim resolved"), Audience.CASE_WORK),
    EventType("claims.review_started", _("Claim review started"), Audience.CASE_WORK),
    EventType("claims.creditor_registered", _("Creditor registered"), Audience.CASE_WORK),
    EventType("claims.creditor_record_linked", _("Creditor account linked to the creditor list"), Audience.CASE_WORK),
    EventType("claims.phone_code_sent", _("Verification code sent"), Audience.CASE_WORK),
    EventType("claims.employee_line_linked", _("Employee linked to the employee claims list"), Audience.CASE_WORK),
    # The employee claims list is published for the employees to check (EBL art. 48).
    EventType("claims.employee_list_published", _("Employee claims list published"), Audience.PARTICIPANTS),
    EventType("claims.employee_objection_raised", _("Objection to the employee list raised"), Audience.CASE_WORK),
    EventType("claims.employee_objection_answered", _("Objection to the employee list answered"), Audience.CASE_WORK),
    EventType("claims.power_of_attorney_checked", _("Power of attorney checked"), Audience.CASE_WORK),
    EventType(
        "claims.table_signed",
        _("Claims table signed"),
        Audience.PARTICIPANTS,
        labels={"claims": _("Claims"), "declared_fen": _("Declared"), "confirmed_fen": _("Confirmed")},
    ),
    EventType(
        "claims.undisputed_confirmed",
        _("Undisputed claims confirmed by ruling"),
        Audience.PARTICIPANTS,
        labels={"claims": _("Claims"), "total_fen": _("Total"), "ruled_on": _("Ruled on")},
    ),
)
