"""Shared test helpers: a witness key, the log's leaves as the platform sees them, tampering with raw SQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection

from partnerproto import merkle, note
from smartcourt.audit.management.commands.flush import triggers_lifted
from smartcourt.evidence.models import Leaf


def witness_key(name: str = "witness.test/1") -> tuple[Ed25519PrivateKey, note.VerifierKey]:
    private = Ed25519PrivateKey.generate()
    return private, note.verifier_key(name, private.public_key(), note.COSIGNATURE_V1)


def stored_leaf_hashes() -> list[bytes]:
    return [bytes(h) for h in Leaf.objects.order_by("index").values_list("leaf_hash", flat=True)]


def memory_root(size: int | None = None) -> bytes:
    hashes = stored_leaf_hashes()
    size = len(hashes) if size is None else size
    return merkle.root_hash(size, merkle.memory_fetcher(hashes[:size]))


@contextmanager
def tampering() -> Iterator[Any]:
    """Raw SQL with the append-only triggers lifted: what an owner of the database can do."""
    with triggers_lifted(connection), connection.cursor() as cursor:
        yield cursor
