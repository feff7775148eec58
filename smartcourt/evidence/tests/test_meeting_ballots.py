"""A closed creditors' meeting's ballot commitments become leaves of the log, right after the audit event that
closed the meeting (and carries their Merkle root); the meetings app's RFC 6962 root agrees with merkle.py."""

from __future__ import annotations

import hashlib

import pytest

from conftest import Personas
from partnerproto import merkle
from smartcourt.audit.models import AuditEvent
from smartcourt.evidence.actions import sync_log
from smartcourt.evidence.auditing import verify_log
from smartcourt.evidence.models import Leaf
from smartcourt.evidence.tests.helpers import tampering
from smartcourt.evidence.verify import leaf_data
from smartcourt.meetings import ballots
from smartcourt.meetings.actions import ItemSpec, cast_votes, close_meeting
from smartcourt.meetings.tests.helpers import AFTER, DURING, convene, creditor


@pytest.mark.django_db
def test_ballot_commitments_follow_the_closing_event_in_the_log(personas: Personas) -> None:
    p = personas
    creditor(p, "刘债权", ("ordinary", "confirmed", 60_000_000), user=p.creditor_a)
    meeting = convene(p, items=[ItemSpec("general", "设立债权人委员会"), ItemSpec("realisation_plan", "变价方案")])
    votes = {str(item.pk): "for" for item in meeting.items.all()}
    cast_votes(actor=p.creditor_a, meeting_id=meeting.pk, votes=votes, now=DURING)
    closed = close_meeting(actor=p.judge, meeting_id=meeting.pk, now=AFTER)
    published = sorted(row[0] for item in closed.items.all() for row in item.published_ballots)
    assert len(published) == 2

    sync_log()

    event = AuditEvent.objects.get(action="meetings.closed")
    audit_leaf = Leaf.objects.get(source_type="audit", source_id=str(event.seq))
    following = list(Leaf.objects.filter(index__gt=audit_leaf.index).order_by("index")[:2])
    assert [(leaf.source_type, leaf.source_id) for leaf in following] == [("ballot", c) for c in published]
    assert [bytes(leaf.leaf_hash) for leaf in following] == [
        merkle.leaf_hash(leaf_data("ballot", c, "")) for c in published
    ]
    # The audit event that precedes them carries the meeting's root over the same commitments.
    assert event.after is not None and event.after["merkle_root"] == closed.merkle_root
    # A second sync adds nothing.
    assert sync_log() == 0
    # The log's own check finds each ballot leaf's source, and a ballot leaf whose data was changed is caught.
    assert verify_log().ok
    with tampering() as cursor:
        cursor.execute('UPDATE evidence_leaf SET source_id = %s WHERE "index" = %s', ["0" * 64, following[0].index])
    report = verify_log()
    assert report.problem == f"leaf {following[0].index} stands for ballot {'0' * 64}, which is gone"


@pytest.mark.parametrize("size", [0, 1, 2, 3, 5, 8, 13, 100])
def test_the_meetings_root_is_the_logs_rfc_6962_root(size: int) -> None:
    commitments = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(size)]
    leaves = [merkle.leaf_hash(bytes.fromhex(c)) for c in sorted(commitments)]
    expected = merkle.root_hash(size, merkle.memory_fetcher(leaves)) if size else merkle.EMPTY_ROOT
    assert ballots.merkle_root(commitments) == expected.hex()
    if size:
        target = commitments[size // 2]
        index = sorted(commitments).index(target)
        path = ballots.audit_path(commitments, target)
        merkle.verify_inclusion(index, size, merkle.leaf_hash(bytes.fromhex(target)), [bytes.fromhex(h) for h in path],
                                expected)  # fmt: skip
        assert ballots.verify_path(target, index, size, path, expected.hex())
