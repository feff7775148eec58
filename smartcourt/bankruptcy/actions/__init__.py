"""Writes to proceedings and their nodes. Each function is one transaction with its audit event(s).

Every change of a node's status goes through ``_change``: the transition table in choices.py, a
compare-and-set update on the record's ``version``, an immutable ``NodeTransition`` row and an audit event;
the changes people make are also filed into the case's dossier as node records. Actions that touch a
proceeding lock its row first, so that two changes to one proceeding run one after the other: two people
completing the same node cannot both succeed, and two parallel nodes completing together still unblock
the node that waits for both.

The actions live in one module per topic; every public name is re-exported here, so callers import from
``smartcourt.bankruptcy.actions`` as before.
"""

from smartcourt.bankruptcy.actions._common import NOTE_LIMIT, definition
from smartcourt.bankruptcy.actions.court import convert_procedure, extend_deadline, set_anchor_date
from smartcourt.bankruptcy.actions.daily import raise_reminders, refresh_stale_deadlines
from smartcourt.bankruptcy.actions.deadlines import anchors_of
from smartcourt.bankruptcy.actions.nodes import (
    MAX_REASONS,
    MAX_TEXT_VALUE,
    complete_node,
    confirm_node,
    missing_outputs,
    provide_output,
    return_node,
    start_node,
)
from smartcourt.bankruptcy.actions.opening import open_proceeding, record_appointment

__all__ = [
    "MAX_REASONS",
    "MAX_TEXT_VALUE",
    "NOTE_LIMIT",
    "anchors_of",
    "complete_node",
    "confirm_node",
    "convert_procedure",
    "definition",
    "extend_deadline",
    "missing_outputs",
    "open_proceeding",
    "provide_output",
    "raise_reminders",
    "record_appointment",
    "refresh_stale_deadlines",
    "return_node",
    "set_anchor_date",
    "start_node",
]
