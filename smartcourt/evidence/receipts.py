"""Receipts: what a depositor (or anyone who may read a dossier entry) takes away and checks offline.

A receipt holds the subject (what was logged and its SHA-256), the leaf (its data, hash and index), the
latest signed checkpoint with the witnesses' cosignatures, the inclusion proof at that checkpoint's size,
and the court's public key. ``smartcourt.evidence.verify`` checks it without the platform.

Building one may have to bring the log up to date and sign a checkpoint (the same bookkeeping the
periodic task does), so that a receipt asked for right after a filing already covers it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from partnerproto.note import b64encode
from smartcourt.accounts.models import User
from smartcourt.core.errors import NotFound
from smartcourt.dossier.leaves import DOSSIER_LEAF
from smartcourt.dossier.models import DossierEntry
from smartcourt.dossier.selectors import dossier_for
from smartcourt.evidence.actions import checkpoint_covering, sync_log
from smartcourt.evidence.choices import LeafSource
from smartcourt.evidence.models import Checkpoint, Deposit, Leaf
from smartcourt.evidence.selectors import checkpoint_note, get_deposit_for, leaf_of, log_identity
from smartcourt.evidence.tree import inclusion_path
from smartcourt.evidence.verify import RECEIPT_FORMAT, leaf_data


def build_receipt(*, subject: dict[str, Any], leaf: Leaf, checkpoint: Checkpoint, verify_url: str) -> dict[str, Any]:
    data = leaf_data(subject["type"], subject["id"], subject["sha256"])
    checkpoint = Checkpoint.objects.prefetch_related("cosignatures").get(pk=checkpoint.pk)
    return {
        "format": RECEIPT_FORMAT,
        "subject": subject,
        "leaf": {"data": data.decode(), "hash": bytes(leaf.leaf_hash).hex(), "index": leaf.index},
        "checkpoint": checkpoint_note(checkpoint),
        "inclusion_proof": {
            "leaf_index": leaf.index,
            "tree_size": checkpoint.tree_size,
            "inclusion_path": [b64encode(h) for h in inclusion_path(leaf.index, checkpoint.tree_size)],
        },
        "log": log_identity(),
        "verify_url": verify_url,
    }


def deposit_subject(deposit: Deposit) -> dict[str, Any]:
    return {
        "type": LeafSource.DEPOSIT.value,
        "id": str(deposit.pk),
        "sha256": deposit.sha256,
        "title": deposit.title,
        "file_name": deposit.file_name,
        "size": deposit.size,
        "recorded_at": deposit.deposited_at.isoformat(),
    }


def deposit_receipt(deposit: Deposit, *, verify_url: str, checkpoint: Checkpoint | None = None) -> dict[str, Any]:
    """The receipt of a deposit the caller may see, against ``checkpoint`` or the latest one covering it."""
    leaf = Leaf.objects.get(index=deposit.leaf_index)
    covering = checkpoint if checkpoint is not None else checkpoint_covering(deposit.leaf_index + 1)
    return build_receipt(subject=deposit_subject(deposit), leaf=leaf, checkpoint=covering, verify_url=verify_url)


def deposit_receipt_for(user: User, deposit_id: uuid.UUID | str, *, verify_url: str) -> dict[str, Any]:
    return deposit_receipt(get_deposit_for(user, deposit_id), verify_url=verify_url)


def dossier_receipt_for(user: User, entry_id: uuid.UUID | str, *, verify_url: str) -> dict[str, Any]:
    """The receipt of a filed dossier entry, for whoever may read that dossier."""
    entry = DossierEntry.objects.filter(pk=entry_id).select_related("case").first()
    if entry is None:
        raise NotFound(_("No such dossier entry"))
    dossier_for(user, entry.case_id)  # NotFound when the user may not read the dossier
    leaf = leaf_of(DOSSIER_LEAF, str(entry.pk))
    if leaf is None:
        sync_log()
        leaf = leaf_of(DOSSIER_LEAF, str(entry.pk))
        if leaf is None:
            raise NotFound(_("This dossier entry is not in the transparency log"))
    subject = {
        "type": DOSSIER_LEAF,
        "id": str(entry.pk),
        "sha256": entry.file_sha256,
        "title": entry.title,
        "file_name": entry.file_name,
        "size": entry.size,
        "case_number": entry.case.number,
        "entry_number": entry.number,
        "recorded_at": entry.filed_at.isoformat(),
    }
    checkpoint = checkpoint_covering(leaf.index + 1)
    return build_receipt(subject=subject, leaf=leaf, checkpoint=checkpoint, verify_url=verify_url)
