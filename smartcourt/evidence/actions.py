"""Writing to the transparency log.

The log *ingests* instead of being called: ``sync_log`` appends, in audit order, every audit event not yet in the
log and, right after an event that publishes records, a leaf for each (the sources apps register in
``smartcourt.audit.leaf_sources``: filed dossier entries, a closed meeting's ballots). It runs from a periodic task
every minute, before every checkpoint is signed and inside every deposit, so a receipt always covers everything
recorded before it.

Appends, checkpoints and cosignatures are the log's own bookkeeping and are not audit events: the audit log feeds
the tree, so auditing them would make the log grow by itself for ever. They are signed statements kept in
append-only tables. Deposits, on-demand checkpoints, witness changes and alarms are audited actions.

Lock order, everywhere: the audit head first (``record_event``), then the log head (``tree.lock_head``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerproto import merkle, note
from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.audit.leaf_sources import leaf_sources
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.core.lengths import check_length
from smartcourt.evidence.choices import AlarmKind, LeafSource
from smartcourt.evidence.keys import log_origin, log_signing_key
from smartcourt.evidence.models import Alarm, Checkpoint, Cosignature, Deposit, LogHead, Witness
from smartcourt.evidence.policies import can_deposit, can_manage_log
from smartcourt.evidence.tree import LogDamaged, NewLeaf, append, consistency_path, lock_head, root_of
from smartcourt.evidence.verify import leaf_data

logger = logging.getLogger("smartcourt.evidence")

SYNC_BATCH = 1000
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


# --- the log itself -------------------------------------------------------------------------------------------


def _sync_batch(head: LogHead, *, limit: int, now: dt.datetime) -> int:
    """Append up to ``limit`` audit events after ``head.audit_seq``, each followed by the records it published
    (the leaf sources apps registered: filed dossier entries, a closed meeting's ballots, ...)."""
    events = list(
        AuditEvent.objects.filter(seq__gt=head.audit_seq)
        .order_by("seq")
        .values_list("seq", "hash", "action", "object_type", "object_id")[:limit]
    )
    if not events:
        return 0
    sources = {(source.action, source.object_type): source for source in leaf_sources()}
    publishing: dict[tuple[str, str], list[str]] = {}
    for _seq, _digest, action, kind, object_id in events:
        if (action, kind) in sources:
            publishing.setdefault((action, kind), []).append(object_id)
    published = {key: sources[key].published(object_ids) for key, object_ids in publishing.items()}
    new: list[NewLeaf] = []
    expected = head.audit_seq + 1
    for seq, digest, action, kind, object_id in events:
        # Sequence numbers are given out under the audit head's lock and commit in order: a gap is a removal.
        if seq != expected:
            raise LogDamaged(f"audit event #{expected} is missing (the next one is #{seq}); run verify_audit")
        new.append(NewLeaf(LeafSource.AUDIT, str(seq), leaf_data(LeafSource.AUDIT, str(seq), digest)))
        source = sources.get((action, kind))
        if source is not None:
            records = published[(action, kind)].get(object_id)
            if not records and source.required:
                raise LogDamaged(f"{source.kind} {object_id}, published by audit event #{seq}, is missing")
            # The published records, right after the event that published them (and carries their root).
            new.extend(
                NewLeaf(source.kind, record, leaf_data(source.kind, record, record_digest))
                for record, record_digest in records or ()
            )
        expected += 1
    head.audit_seq = expected - 1
    append(head, new, now=now)
    return len(new)


def sync_in(head: LogHead) -> int:
    """Bring the log up to date inside the caller's transaction, which holds the head's lock."""
    appended = 0
    while True:
        count = _sync_batch(head, limit=SYNC_BATCH, now=timezone.now())
        appended += count
        if count == 0:
            return appended


def sync_log(*, batch_size: int = SYNC_BATCH, max_batches: int | None = None) -> int:
    """Append every audit event (and filed dossier entry) not yet in the log; one transaction per batch, so a
    long catch-up neither holds the lock for long nor loses its progress. Returns the number of leaves added."""
    appended = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            count = _sync_batch(lock_head(), limit=batch_size, now=timezone.now())
        appended += count
        batches += 1
        if count == 0:
            break
    return appended


def _latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size", "-id").first()


def _sign(head: LogHead, now: dt.datetime) -> Checkpoint:
    """Sign the current tree, after making sure it extends the last tree the court signed."""
    root = root_of(head)
    latest = _latest_checkpoint()
    if latest is not None:
        try:
            merkle.verify_consistency(
                latest.tree_size,
                head.size,
                bytes(latest.root_hash),
                root,
                consistency_path(latest.tree_size, head.size),
            )
        except merkle.ProofError as exc:
            logger.critical("refusing to sign: the log does not extend checkpoint %s: %s", latest.tree_size, exc)
            raise LogDamaged(
                f"the log of {head.size} leaves does not extend the checkpoint of {latest.tree_size} the court "
                f"signed ({exc}); nothing is signed until it is repaired"
            ) from exc
    origin = log_origin()
    body = note.Checkpoint(origin, head.size, root, int(now.timestamp())).text()
    signature = note.sign(body, origin, log_signing_key())
    checkpoint, _created = Checkpoint.objects.get_or_create(
        text=body,
        defaults={
            "tree_size": head.size,
            "root_hash": root,
            "signed_at": dt.datetime.fromtimestamp(int(now.timestamp()), tz=dt.UTC),
            "signature": signature.line(),
            "key_id": signature.key_id.hex(),
        },
    )
    return checkpoint


def publish_checkpoint(*, max_age_seconds: int | None = None) -> Checkpoint:
    """Bring the log up to date and sign a checkpoint if the tree grew (or the last one is older than
    ``max_age_seconds``); returns the checkpoint that now covers the whole log. The periodic task's work."""
    sync_log()
    with transaction.atomic():
        head = lock_head()
        sync_in(head)
        now = timezone.now()
        latest = _latest_checkpoint()
        if latest is not None and latest.tree_size == head.size:
            fresh = max_age_seconds is None or (now - latest.signed_at).total_seconds() < max_age_seconds
            if fresh:
                return latest
        return _sign(head, now)


def checkpoint_covering(size: int) -> Checkpoint:
    """The latest checkpoint if it covers ``size`` leaves; otherwise a new one (after a sync)."""
    latest = _latest_checkpoint()
    if latest is not None and latest.tree_size >= size:
        return latest
    return publish_checkpoint()


@transaction.atomic
def sign_checkpoint_now(*, actor: User) -> Checkpoint:
    """A court administrator has the court sign a checkpoint now (the request itself is in it)."""
    if not can_manage_log(actor):
        raise PermissionDenied(_("Only court administrators sign checkpoints on demand"))
    record_event(actor=actor, action="evidence.checkpoint_requested")
    head = lock_head()
    sync_in(head)
    return _sign(head, timezone.now())


# --- evidence deposits ----------------------------------------------------------------------------------------


def normalise_sha256(value: str) -> str:
    digest = value.strip().lower()
    if not _HEX64.match(digest):
        raise DomainError(_("A SHA-256 is 64 hexadecimal characters."), field="sha256")
    return digest


@transaction.atomic
def deposit_evidence(
    *, actor: User, sha256: str, file_name: str = "", size: int | None = None, title: str = ""
) -> tuple[Deposit, Checkpoint]:
    """Deposit evidence by its SHA-256 (the caller hashed the file, or the depositor sent the hash): the hash
    becomes a leaf at once, and the court signs a checkpoint that contains it. Returns both."""
    if not can_deposit(actor):
        raise PermissionDenied(_("Sign in to deposit evidence."))
    digest = normalise_sha256(sha256)
    title = title.strip()
    if len(title) > 200:
        raise DomainError(_("A title is at most 200 characters."), field="title")
    if len(file_name) > 200:
        raise DomainError(_("A file name is at most 200 characters."), field="file")
    if size is not None and size < 0:
        raise DomainError(_("A size is not negative."), field="size")
    now = timezone.now()
    deposit = Deposit(
        id=uuid.uuid4(), depositor=actor, sha256=digest, file_name=file_name, size=size, title=title, deposited_at=now
    )
    record_event(
        actor=actor,
        action="evidence.deposited",
        obj=deposit,
        after={"sha256": digest, "file_name": file_name, "size": size, "title": title},
    )
    head = lock_head()
    sync_in(head)
    deposit.leaf_index = head.size
    deposit.save(force_insert=True)
    append(
        head,
        [NewLeaf(LeafSource.DEPOSIT, str(deposit.pk), leaf_data(LeafSource.DEPOSIT, str(deposit.pk), digest))],
        now=now,
    )
    return deposit, _sign(head, timezone.now())


# --- witnesses ------------------------------------------------------------------------------------------------


def _witness_key(witness: Witness) -> note.VerifierKey:
    return note.parse_verifier_key(witness.public_key)


@transaction.atomic
def add_witness(*, actor: User, public_key: str) -> Witness:
    """Register a witness by its verifier key (``name+keyid+base64(0x04 || key)``); the name is the key's."""
    if not can_manage_log(actor):
        raise PermissionDenied(_("Only court administrators manage witnesses."))
    try:
        key = note.parse_verifier_key(public_key)
    except note.NoteError as exc:
        raise DomainError(str(exc), field="public_key") from exc
    if key.signature_type != note.COSIGNATURE_V1:
        raise DomainError(_("A witness key is a cosignature key (type 0x04)."), field="public_key")
    if Witness.objects.filter(name=key.name).exists():
        raise Conflict(_("A witness named %(name)s is registered already.") % {"name": key.name}, field="public_key")
    witness = Witness.objects.create(name=key.name, public_key=key.encode())
    record_event(
        actor=actor, action="evidence.witness_added", obj=witness, after={"name": key.name, "key": key.encode()}
    )
    return witness


@transaction.atomic
def set_witness_active(*, actor: User, witness_id: uuid.UUID, active: bool) -> Witness:
    if not can_manage_log(actor):
        raise PermissionDenied(_("Only court administrators manage witnesses."))
    witness = Witness.objects.select_for_update().filter(pk=witness_id).first()
    if witness is None:
        raise NotFound(_("No such witness"))
    if witness.active != active:
        Witness.objects.filter(pk=witness.pk).update(active=active)
        record_event(
            actor=actor,
            action="evidence.witness_activated" if active else "evidence.witness_deactivated",
            obj=witness,
            before={"active": witness.active},
            after={"active": active},
        )
        witness.active = active
    return witness


def record_cosignature(*, checkpoint_note: str, line: str) -> Cosignature:
    """Keep a witness's cosignature on one of our checkpoints. The signature is the witness's credential."""
    try:
        text = note.parse_note(checkpoint_note).text if "\n\n" in checkpoint_note else checkpoint_note
        signature = note.parse_signature_line(line)
    except note.NoteError as exc:
        raise DomainError(str(exc), field="cosignature") from exc
    witness = Witness.objects.filter(name=signature.name, active=True).first()
    if witness is None:
        raise PermissionDenied(f"{signature.name} is not an active witness of this log")
    key = _witness_key(witness)
    if signature.key_id != key.key_id:
        raise PermissionDenied(f"the cosignature is not made with the key registered for {witness.name}")
    try:
        timestamp = note.check_cosignature(text, signature, key)
    except note.NoteError as exc:
        raise PermissionDenied(str(exc)) from exc
    checkpoint = Checkpoint.objects.filter(text=text).first()
    if checkpoint is None:
        raise NotFound("This log never signed that checkpoint")
    Cosignature.objects.bulk_create(
        [
            Cosignature(
                checkpoint=checkpoint,
                witness=witness,
                timestamp=timestamp,
                line=signature.line(),
                received_at=timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    return Cosignature.objects.get(checkpoint=checkpoint, witness=witness)


@transaction.atomic
def record_alarm(
    *, witness_name: str, kind: str, message: str, evidence: dict[str, object], timestamp: int, signature: str
) -> Alarm:
    """Keep a witness's alarm (signed with its key) and record it in the audit log; court administrators see it."""
    if kind not in AlarmKind.values:
        raise DomainError(f"unknown alarm kind {kind!r}", field="kind")
    witness = Witness.objects.filter(name=witness_name).first()
    if witness is None:
        raise PermissionDenied(f"{witness_name} is not a witness of this log")
    payload: dict[str, object] = {
        "witness": witness_name,
        "kind": kind,
        "message": message,
        "evidence": evidence,
        "timestamp": timestamp,
    }
    try:
        raw = note.b64decode(signature, what="the alarm signature")
        _witness_key(witness).ed25519().verify(raw, note.alarm_message(payload))
    except (note.NoteError, InvalidSignature, ValueError) as exc:
        raise PermissionDenied(f"the alarm is not signed by {witness_name}") from exc
    existing = Alarm.objects.filter(signature=signature).first()
    if existing is not None:
        return existing
    # Signed as a whole: a stored copy cut short could no longer be checked against its signature.
    check_length(Alarm, "message", message, label=_("The alarm's message"))
    alarm = Alarm.objects.create(
        witness=witness,
        kind=kind,
        message=message,
        evidence=evidence,
        raised_at=dt.datetime.fromtimestamp(timestamp, tz=dt.UTC),
        received_at=timezone.now(),
        signature=signature,
    )
    logger.critical("transparency log alarm from witness %s: %s: %s", witness_name, kind, message)
    record_event(actor=None, action="evidence.alarm_received", obj=alarm, after={"witness": witness_name, "kind": kind})
    return alarm


def default_max_age() -> int:
    return int(settings.EVIDENCE_CHECKPOINT_MAX_AGE)


@transaction.atomic
def ensure_witness(*, public_key: str) -> Witness:
    """Register a witness for the platform itself (set-up command, demo); unchanged if it is there already."""
    key = note.parse_verifier_key(public_key)
    if key.signature_type != note.COSIGNATURE_V1:
        raise DomainError("a witness key is a cosignature key (type 0x04)", field="public_key")
    existing = Witness.objects.filter(name=key.name).first()
    if existing is not None:
        if existing.public_key != key.encode():
            raise Conflict(f"a witness named {key.name} is registered with another key", field="public_key")
        return existing
    witness = Witness.objects.create(name=key.name, public_key=key.encode())
    record_event(
        actor=None, action="evidence.witness_added", obj=witness, after={"name": key.name, "key": key.encode()}
    )
    return witness
