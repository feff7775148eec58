"""An online filing becomes a case when it is docketed: that event is the case's first fact, announced to all who
may see the case. The filing's earlier states are on the filing's own page, not on a case's timeline."""

from django.utils.translation import gettext_lazy as _

from smartcourt.cases.events import Audience, EventType, choices_of, declare
from smartcourt.filing.choices import AssignmentMethod

declare(
    EventType("filing.docketed", _("Online filing docketed"), Audience.CASE),
    # How the presiding judge was found (rule or recorded draw) and any clerk's override with its reasons: the
    # court's; the parties see the judge on the case.
    EventType(
        "filing.judge_assigned",
        _("Presiding judge assigned"),
        Audience.COURT,
        labels={"override_reason": _("Reasons for choosing another judge")},
        values={"method": choices_of(AssignmentMethod)},
        hidden=frozenset({"seed", "candidates", "digest", "drawn_index", "assigned_judge", "judge", "rule_part"}),
    ),
    EventType("filing.assignment_rule_set", _("Case assignment rule set"), Audience.COURT),
    # The ruling that the case is handled as withdrawn (诉讼费用交纳办法 art. 22) closes it: all on the case see it.
    EventType(
        "filing.handled_as_withdrawn",
        _("Fee unpaid: case handled as withdrawn"),
        Audience.CASE,
        hidden=frozenset({"fee", "ruling", "ruling_sha256", "by_job"}),
    ),
)
