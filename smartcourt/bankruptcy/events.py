"""The procedure engine's case events (see cases.events): the node work belongs to the node pages
(bankruptcy.policies.can_view_nodes, i.e. those who conduct the case); the proceeding's opening and its
announced dates are facts every participant is told."""

from django.utils.translation import gettext_lazy as _

from smartcourt.bankruptcy.choices import NodeStatus, Procedure, ReconsiderationOutcome, ReminderKind
from smartcourt.cases.events import Audience, EventType, choices_of, declare

_NODE = {"status": choices_of(NodeStatus)}

declare(
    EventType("bankruptcy.application_registered", _("Application registered"), Audience.CASE),
    EventType("bankruptcy.application_ruled", _("Ruling on the application"), Audience.CASE),
    EventType(
        "bankruptcy.proceeding_opened",
        _("Proceeding opened"),
        Audience.CASE,
        values={"procedure": choices_of(Procedure)},
        hidden=frozenset({"nodes"}),
    ),
    EventType("bankruptcy.proceeding_closed", _("Proceeding closed"), Audience.CASE),
    EventType(
        "bankruptcy.procedure_converted",
        _("Procedure converted"),
        Audience.CASE,
        values={"procedure": choices_of(Procedure)},
    ),
    # Announced dates (acceptance announcement, claims period, meeting, declaration, termination).
    EventType(
        "bankruptcy.date_set",
        _("Procedure date recorded"),
        Audience.PARTICIPANTS,
        labels={"termination_requested_on": _("Termination requested on")},
    ),
    EventType("bankruptcy.node_start", _("Node started"), Audience.CASE_WORK, values=_NODE),
    EventType(
        "bankruptcy.node_submit", _("Node submitted to the court for confirmation"), Audience.CASE_WORK, values=_NODE
    ),
    EventType("bankruptcy.node_confirm", _("Node confirmed by the court"), Audience.CASE_WORK, values=_NODE),
    EventType("bankruptcy.node_return", _("Node returned by the court"), Audience.CASE_WORK, values=_NODE),
    EventType("bankruptcy.node_complete", _("Node completed"), Audience.CASE_WORK, values=_NODE),
    EventType("bankruptcy.node_unblock", _("Node ready to be worked on"), Audience.CASE_WORK, values=_NODE),
    EventType("bankruptcy.node_record", _("Node recorded"), Audience.CASE_WORK, values=_NODE),
    EventType("bankruptcy.node_open", _("Node opened"), Audience.CASE_WORK, values=_NODE),
    EventType("bankruptcy.node_convert", _("Node changed by the conversion"), Audience.CASE_WORK, values=_NODE),
    EventType("bankruptcy.node_close", _("Node closed with the proceeding"), Audience.CASE_WORK, values=_NODE),
    EventType(
        "bankruptcy.output_provided",
        _("Node material provided"),
        Audience.CASE_WORK,
        labels={"value": _("Value")},
    ),
    EventType("bankruptcy.deadline_extended", _("Deadline extended"), Audience.CASE_WORK),
    EventType("bankruptcy.deadline_recomputed", _("Deadline recomputed"), Audience.CASE_WORK),
    EventType(
        "bankruptcy.reminder_raised",
        _("Deadline reminder"),
        Audience.CASE_WORK,
        labels={"days": _("Days")},
        values={"kind": choices_of(ReminderKind)},
    ),
)

# Substantive consolidation is the court's ruling, announced like acceptance; so is each debtor's deregistration.
declare(
    EventType("bankruptcy.consolidated", _("Debtors consolidated into one proceeding"), Audience.CASE),
    EventType("bankruptcy.debtor_deregistered", _("Consolidated debtor deregistered"), Audience.CASE),
    EventType(
        "bankruptcy.plan_structure_recorded",
        _("Structure of the consolidated debtors under the plan recorded"),
        Audience.CASE,
        labels={
            "survivor": _("Continues as the merged enterprise"),
            "merged": _("Merged into it and deregistered"),
            "separate": _("Kept separate under the plan"),
        },
    ),
    EventType(
        "bankruptcy.consolidation_served",
        _("Consolidation ruling served: the reconsideration period runs"),
        Audience.CASE,
        labels={"served_on": _("Served on"), "reconsideration_ends_on": _("Reconsideration may be applied for until")},
    ),
    EventType(
        "bankruptcy.reconsideration_applied",
        _("Reconsideration of the consolidation applied for"),
        Audience.CASE,
        labels={"applicant": _("Applicant"), "filed_on": _("Applied on"), "late": _("Late")},
    ),
    EventType(
        "bankruptcy.reconsideration_decided",
        _("Higher court's decision on reconsideration of the consolidation"),
        Audience.CASE,
        labels={
            "applicant": _("Applicant"),
            "outcome": _("Decision"),
            "decided_on": _("Decided on"),
            "reference": _("Decision number"),
        },
        values={"outcome": choices_of(ReconsiderationOutcome)},
    ),
    EventType(
        "bankruptcy.member_case_taken_over",
        _("A consolidated debtor's own case taken over: its claims moved in, the case closed"),
        Audience.CASE,
        labels={
            "merged_case": _("Its own case"),
            "claims": _("Claims moved in"),
            "creditors": _("Creditors moved in"),
            "taken_over_on": _("Taken over on"),
        },
    ),
)
