"""The database nonce store every signed inbound request goes through (moved from banking, issue 18)."""

from __future__ import annotations

import pytest

from partnerproto.signatures import MALFORMED, SignatureError
from smartcourt.services.models import SeenNonce
from smartcourt.services.nonces import KEYID_MAX, NONCE_MAX, DatabaseNonceStore


def test_a_nonce_is_remembered_once_per_key(db: None) -> None:
    store = DatabaseNonceStore()
    assert store.remember("key-1", "n1", 1_700_000_000) is True
    assert store.remember("key-1", "n1", 1_700_000_000) is False
    assert store.remember("key-2", "n1", 1_700_000_000) is True
    assert SeenNonce.objects.count() == 2


@pytest.mark.parametrize(("keyid", "nonce"), [("k" * (KEYID_MAX + 1), "n"), ("k", "n" * (NONCE_MAX + 1))])
def test_an_over_long_key_id_or_nonce_is_refused_not_cut(keyid: str, nonce: str, db: None) -> None:
    store = DatabaseNonceStore()
    # At the limit it fits whole.
    assert store.remember("k" * KEYID_MAX, "n" * NONCE_MAX, 1_700_000_000) is True
    with pytest.raises(SignatureError) as refused:
        store.remember(keyid, nonce, 1_700_000_000)
    assert refused.value.reason == MALFORMED
    assert SeenNonce.objects.count() == 1
