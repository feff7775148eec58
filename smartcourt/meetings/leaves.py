"""The ballots counted at a meeting's close follow the ``meetings.closed`` audit event (which carries their
Merkle root) into the transparency log, one leaf ``ballot:<commitment>:`` each: a voter holding his salt finds
his ballot there (docs/adr/0006)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from smartcourt.audit.leaf_sources import LeafSource
from smartcourt.meetings.selectors import counted_commitments, published_commitments


def _published(meeting_ids: Sequence[str]) -> Mapping[str, Sequence[tuple[str, str]]]:
    return {
        meeting: [(commitment, "") for commitment in commitments]
        for meeting, commitments in published_commitments(list(meeting_ids)).items()
    }


def _present(commitments: Sequence[str]) -> Mapping[str, str]:
    return dict.fromkeys(counted_commitments(list(commitments)), "")


PUBLISHED_BALLOTS = LeafSource(
    kind="ballot",
    action="meetings.closed",
    object_type="meetings.Meeting",
    published=_published,
    present=_present,
)
