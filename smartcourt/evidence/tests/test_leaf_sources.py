"""The log learns of new leaf sources by registration: an app that publishes records with an audit event
declares them in smartcourt.audit.leaf_sources, and the log appends and checks them without knowing the app."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pytest
from django.db import transaction

from conftest import Personas
from partnerproto import merkle
from smartcourt.audit import leaf_sources
from smartcourt.audit.actions import record_event
from smartcourt.audit.leaf_sources import LeafSource, LeafSourceError, register_leaf_source
from smartcourt.evidence.actions import sync_log
from smartcourt.evidence.auditing import verify_log
from smartcourt.evidence.models import Leaf
from smartcourt.evidence.verify import leaf_data

DIGEST = "ab" * 32
PRESENT: set[str] = set()


def _published(object_ids: Sequence[str]) -> Mapping[str, Sequence[tuple[str, str]]]:
    return {object_id: [(f"{object_id}-1", DIGEST), (f"{object_id}-2", "")] for object_id in object_ids}


def _present(records: Sequence[str]) -> Mapping[str, str]:
    return {record: DIGEST if record.endswith("-1") else "" for record in records if record in PRESENT}


TRANSCRIPTS = LeafSource(
    kind="transcript",
    action="hearings.transcript_signed",
    object_type="cases.Case",
    published=_published,
    present=_present,
)


@pytest.fixture
def registry() -> Iterator[None]:
    # A registration lasts for the process; the test's own source must not outlive the test.
    saved = dict(leaf_sources._sources)
    yield
    leaf_sources._sources.clear()
    leaf_sources._sources.update(saved)


def test_the_apps_register_their_leaf_sources() -> None:
    assert {(s.kind, s.action, s.object_type, s.required) for s in leaf_sources.leaf_sources()} >= {
        ("dossier", "dossier.entry_filed", "dossier.DossierEntry", True),
        ("ballot", "meetings.closed", "meetings.Meeting", False),
    }


def test_a_registered_source_follows_its_event_into_the_log_and_is_checked(personas: Personas, registry: None):
    register_leaf_source(TRANSCRIPTS)
    sync_log()
    with transaction.atomic():
        event = record_event(actor=personas.judge, action="hearings.transcript_signed", obj=personas.case)
    case_id = str(personas.case.pk)
    PRESENT.update({f"{case_id}-1", f"{case_id}-2"})
    try:
        sync_log()
        leaves = list(Leaf.objects.order_by("-index")[:3])[::-1]
        assert [(leaf.source_type, leaf.source_id) for leaf in leaves] == [
            ("audit", str(event.seq)),
            ("transcript", f"{case_id}-1"),
            ("transcript", f"{case_id}-2"),
        ]
        assert bytes(leaves[1].leaf_hash) == merkle.leaf_hash(leaf_data("transcript", f"{case_id}-1", DIGEST))
        assert bytes(leaves[2].leaf_hash) == merkle.leaf_hash(leaf_data("transcript", f"{case_id}-2", ""))
        assert verify_log().problem is None
        # The log's own check asks the registered source whether each record still exists.
        PRESENT.discard(f"{case_id}-2")
        assert verify_log().problem == f"leaf {leaves[2].index} stands for transcript {case_id}-2, which is gone"
    finally:
        PRESENT.clear()


def test_a_source_cannot_be_ambiguous(registry: None) -> None:
    register_leaf_source(TRANSCRIPTS)
    register_leaf_source(TRANSCRIPTS)  # the same declaration again (an app reloaded) is harmless
    with pytest.raises(LeafSourceError, match="'transcript' is registered twice"):
        register_leaf_source(LeafSource("transcript", "hearings.other", "cases.Case", _published, _present))
    with pytest.raises(LeafSourceError, match="already feeds 'transcript' leaves"):
        register_leaf_source(LeafSource("minutes", "hearings.transcript_signed", "cases.Case", _published, _present))
    for kind in ("audit", "deposit", "Ballot", "a:b", "x" * 17, ""):
        with pytest.raises(LeafSourceError, match="lower-case letters"):
            register_leaf_source(LeafSource(kind, "hearings.x", "cases.Case", _published, _present))
