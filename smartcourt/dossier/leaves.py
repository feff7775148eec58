"""Filed dossier entries follow their ``dossier.entry_filed`` audit event into the transparency log
(docs/adr/0004): the leaf ``dossier:<entry id>:<file SHA-256 or empty>`` lets a receipt prove the file."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from smartcourt.audit.leaf_sources import LeafSource
from smartcourt.dossier.models import DossierEntry

DOSSIER_LEAF = "dossier"


def _uuids(values: Sequence[str]) -> list[uuid.UUID]:
    # The log's own check passes the ids stored in its leaves, which a tampered row could have made anything.
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def _file_hashes(entry_ids: Sequence[str]) -> dict[str, str]:
    rows = DossierEntry.objects.filter(pk__in=_uuids(entry_ids)).values_list("pk", "file_sha256")
    return {str(pk): digest for pk, digest in rows}


def _published(entry_ids: Sequence[str]) -> Mapping[str, Sequence[tuple[str, str]]]:
    return {pk: [(pk, digest)] for pk, digest in _file_hashes(entry_ids).items()}


FILED_ENTRIES = LeafSource(
    kind=DOSSIER_LEAF,
    action="dossier.entry_filed",
    object_type="dossier.DossierEntry",
    published=_published,
    present=_file_hashes,
    required=True,
)
