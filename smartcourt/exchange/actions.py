"""Sending and applying exchange packages (docs/adr/0011-zones-and-gateway.md).

- ``emit``: a domain action that the other zone must know of calls it inside its own transaction; the message
  exists if and only if the domain write committed.
- ``pack_outbox``: the next package(s) from the unsent messages, stored, then written to the outbox.
- ``apply_inbox``: the inbox in sequence order; each package verified, then applied in one transaction
  (exactly once, by message id), or recorded as a duplicate, or quarantined with an alert; a gap waits.
- ``apply_ack`` / ``apply_ping``: the exchange's own message kinds.

The jobs run as the system (``actor=None``); the person who acted is in the message's payload.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerproto import exchange as px
from partnerproto import keyfiles
from smartcourt.audit.actions import Actor, actor_label, record_event
from smartcourt.core.lengths import check_text
from smartcourt.exchange import zones
from smartcourt.exchange.choices import OUTGOING_TRANSITIONS, IncomingState, OutgoingState
from smartcourt.exchange.handlers import IncomingMessage, handler_for
from smartcourt.exchange.models import (
    AppliedMessage,
    ExchangeAlert,
    ExchangeHead,
    IncomingPackage,
    OutboxFile,
    OutboxMessage,
    OutgoingPackage,
)

ACK = "exchange.ack"
PING = "exchange.ping"
PING_NOTE_MAX = 200
DIGEST = "exchange.digest"
logger = logging.getLogger("smartcourt.exchange")


# --- sending -------------------------------------------------------------------------------------------------


def emit(
    *, actor: Actor | None, kind: str, payload: Mapping[str, Any], files: Mapping[str, px.CarriedFile] | None = None
) -> OutboxMessage | None:
    """Queue a message for the other zone, inside the caller's transaction. In the single zone nothing crosses
    and nothing is stored (None)."""
    direction = zones.outbound()
    if direction is None:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("emit must be called inside the domain action's transaction")
    if handler_for(kind) is None and not kind.startswith("exchange."):
        # The same codebase runs both zones: a kind nobody handles would be quarantined on arrival.
        raise ValueError(f"no handler is registered for message kind {kind!r}")
    px.canonical_json(dict(payload))  # refuses what is not JSON now, not when packing
    attachments = dict(files or {})
    for name, item in attachments.items():
        if not px.sniff_matches(item.media_type, item.content):
            raise ValueError(f"file {name!r} is declared {item.media_type} and does not look like one")
    message = OutboxMessage.objects.create(direction=direction, kind=kind, payload=dict(payload))
    OutboxFile.objects.bulk_create(
        OutboxFile(
            message=message,
            name=name,
            sha256=item.sha256,
            size=len(item.content),
            media_type=item.media_type,
            content=item.content,
        )
        for name, item in attachments.items()
    )
    record_event(
        actor=actor,
        action="exchange.message_queued",
        obj=message,
        after={"kind": kind, "direction": direction, "files": len(attachments)},
    )
    return message


def send_ping(*, actor: Actor, note: str = "") -> OutboxMessage | None:
    """A connectivity check an operator sends to the other zone; it is applied there and acknowledged back."""
    note = check_text(note, PING_NOTE_MAX, label=_("The note"), field="note")  # refused whole, never cut
    with transaction.atomic():
        return emit(
            actor=actor,
            kind=PING,
            payload={"note": note, "from": actor_label(actor), "sent_at": timezone.now().isoformat()},
        )


def _head(direction: str, *, lock: bool) -> ExchangeHead:
    ExchangeHead.objects.get_or_create(direction=direction)
    rows = ExchangeHead.objects.select_for_update() if lock else ExchangeHead.objects
    return rows.get(direction=direction)


def _set_state(package: OutgoingPackage, to_state: str, **updates: Any) -> bool:
    """Compare-and-set along OUTGOING_TRANSITIONS; False if another worker moved it first."""
    allowed_from = [state for state, targets in OUTGOING_TRANSITIONS.items() if to_state in targets]
    changed = OutgoingPackage.objects.filter(pk=package.pk, state__in=allowed_from).update(state=to_state, **updates)
    return changed == 1


def _build_next(actor: Actor | None, direction: str, keys: px.PartyKeys, limit: int) -> OutgoingPackage | None:
    with transaction.atomic():
        head = _head(direction, lock=True)  # sequences are gap-free: one builder at a time per direction
        messages = list(
            OutboxMessage.objects.filter(direction=direction, package__isnull=True)
            .order_by("created_at", "id")
            .prefetch_related("attachments")[:limit]
        )
        if not messages:
            return None
        carried = {
            item.sha256: px.CarriedFile(bytes(item.content), item.media_type)
            for message in messages
            for item in message.attachments.all()
        }
        data, header = px.build_package(
            direction=direction,
            sequence=head.sent_sequence + 1,
            previous=head.sent_hash,
            messages=[
                px.Message(
                    id=str(message.pk),
                    kind=message.kind,
                    payload=message.payload,
                    files={item.name: item.sha256 for item in message.attachments.all()},
                )
                for message in messages
            ],
            files=list(carried.values()),
            signing_key=keys.signing_key(),
            keyring=keys.envelope,
            created=timezone.now(),
        )
        package = OutgoingPackage.objects.create(
            direction=direction,
            sequence=header.sequence,
            package_hash=header.hash,
            previous_hash=header.previous,
            content=data,
            message_count=len(messages),
            created_at=header.created_at,
        )
        OutboxMessage.objects.filter(pk__in=[message.pk for message in messages]).update(package=package)
        ExchangeHead.objects.filter(pk=direction).update(sent_sequence=header.sequence, sent_hash=header.hash)
        # The package holds the files now (and is stored until acknowledged).
        OutboxFile.objects.filter(message__in=messages).update(content=b"")
        record_event(
            actor=actor,
            action="exchange.package_built",
            obj=package,
            after={"direction": direction, "sequence": header.sequence, "hash": header.hash, "messages": len(messages)},
        )
    return package


def _send(actor: Actor | None, package: OutgoingPackage) -> None:
    """Write the stored package into the outbox (again, after a crash: same bytes), then mark it sent."""
    name = px.file_name(package.direction, package.sequence)
    px.write_atomically(zones.outbox_dir(), name, bytes(package.content))
    with transaction.atomic():
        if _set_state(package, OutgoingState.SENT, sent_at=timezone.now()):
            record_event(actor=actor, action="exchange.package_sent", obj=package, after={"file": name})
            return
    if OutgoingPackage.objects.filter(pk=package.pk, state=OutgoingState.ACKNOWLEDGED).exists():
        # Acknowledged meanwhile (a repair of a package the other zone had already applied): not left behind.
        (zones.outbox_dir() / name).unlink(missing_ok=True)


def _heartbeat(actor: Actor | None, direction: str) -> None:
    """When nothing has been sent for EXCHANGE_HEARTBEAT_SECONDS, a digest of the stream so far (last sequence,
    its hash, messages sent): the receiving zone, which cannot ask, learns that nothing after it was lost, and
    notices on its own when heartbeats stop (``check_inbound``)."""
    quiet_since = timezone.now() - dt.timedelta(seconds=settings.EXCHANGE_HEARTBEAT_SECONDS)
    if OutgoingPackage.objects.filter(direction=direction, created_at__gt=quiet_since).exists():
        return
    if OutboxMessage.objects.filter(direction=direction, package__isnull=True).exists():
        return  # a package is about to leave anyway
    with transaction.atomic():
        head = _head(direction, lock=True)
        emit(
            actor=actor,
            kind=DIGEST,
            payload={
                "through": head.sent_sequence,
                "hash": head.sent_hash,
                "messages": OutboxMessage.objects.filter(direction=direction, package__isnull=False).count(),
            },
        )


def pack_outbox(*, actor: Actor | None, limit: int | None = None) -> list[OutgoingPackage]:
    """Build packages from every unsent message (at most ``limit`` messages each, EXCHANGE_MAX_MESSAGES by
    default) and put them in the outbox; first rewrite any package built but not yet written; after a quiet
    spell, send a digest (the heartbeat)."""
    direction = zones.outbound()
    if direction is None:
        return []
    _heartbeat(actor, direction)
    for unwritten in OutgoingPackage.objects.filter(direction=direction, state=OutgoingState.BUILT).order_by(
        "sequence"
    ):
        _send(actor, unwritten)
    keys = zones.keys()
    built: list[OutgoingPackage] = []
    while (package := _build_next(actor, direction, keys, limit or settings.EXCHANGE_MAX_MESSAGES)) is not None:
        _send(actor, package)
        package.refresh_from_db()
        built.append(package)
    return built


def resend_unacknowledged(*, actor: Actor | None, older_than: dt.timedelta) -> list[OutgoingPackage]:
    """Offer again every package sent longer ago than ``older_than`` and not yet acknowledged: the same bytes,
    written anew, which the gateway takes for a new file. The sender cannot know whether a package or its
    acknowledgment was lost on the way (the gateways answer nothing); the receiver ignores a package it has, and
    acknowledges again."""
    direction = zones.outbound()
    if direction is None:
        return []
    due = OutgoingPackage.objects.filter(
        direction=direction, state=OutgoingState.SENT, sent_at__lte=timezone.now() - older_than
    ).order_by("sequence")
    resent = []
    for package in due:
        name = px.file_name(direction, package.sequence)
        px.write_atomically(zones.outbox_dir(), name, bytes(package.content))
        with transaction.atomic():
            if OutgoingPackage.objects.filter(pk=package.pk, state=OutgoingState.SENT).update(sent_at=timezone.now()):
                record_event(
                    actor=actor, action="exchange.package_resent", obj=package, after={"sequence": package.sequence}
                )
                resent.append(package)
                continue
        # Acknowledged meanwhile (its file cleared before we wrote it again): do not leave it in the outbox.
        (zones.outbox_dir() / name).unlink(missing_ok=True)
    return resent


def _key_summary(keys: px.PartyKeys) -> dict[str, object]:
    return {
        "signing_keys": [key.keyid for key in keys.signing_keys],
        "signing_current": keys.signing_current,
        "peer_keys": [key.keyid for key in keys.peer_keys],
        "envelope_keys": sorted(keys.envelope.keys),
        "envelope_current": keys.envelope.current,
    }


@transaction.atomic
def rotate_keys(*, actor: Actor | None, step: str, change: Callable[[px.PartyKeys], px.PartyKeys]) -> px.PartyKeys:
    """One rotation step on this zone's key file (ADR 0005's steps: add, activate, retire), recorded with key
    ids only. The event is written first and the file replaced atomically, so the record and the file agree."""
    before = zones.keys()
    after = change(before)
    record_event(actor=actor, action=f"exchange.keys_{step}", before=_key_summary(before), after=_key_summary(after))
    keyfiles.write_private(zones.key_file(), after.to_dict())
    return after


# --- receiving -----------------------------------------------------------------------------------------------


def _quarantine(
    actor: Actor | None, direction: str, path: Path, data: bytes, reason: str, detail: str
) -> IncomingPackage:
    """Record and alert first, then move the file aside: a crash in between quarantines it again, never
    applies it."""
    try:
        header: px.Header | None = px.split(data).header
    except px.PackageError:
        header = None
    with transaction.atomic():
        incoming = IncomingPackage.objects.create(
            direction=direction,
            sequence=header.sequence if header else None,
            package_hash=header.hash if header else hashlib.sha256(data).hexdigest(),
            state=IncomingState.QUARANTINED,
            reason=reason,
            detail=detail[:2000],
            file_name=path.name,
            created_at=header.created_at if header else None,
        )
        ExchangeAlert.objects.create(
            direction=direction, reason=reason, message=f"{path.name}: {detail}"[:2000], package=incoming
        )
        record_event(
            actor=actor,
            action="exchange.package_quarantined",
            obj=incoming,
            after={"file": path.name, "sequence": incoming.sequence, "reason": reason},
        )
    logger.error("exchange package %s quarantined: %s (%s)", path.name, reason, detail)
    px.write_atomically(zones.quarantine_dir(), f"{path.name}.{incoming.pk}", data)
    path.unlink(missing_ok=True)
    return incoming


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None  # judged by another worker meanwhile


def _old_sequence(actor: Actor | None, direction: str, path: Path, header: px.Header) -> IncomingPackage | None:
    applied = IncomingPackage.objects.filter(
        direction=direction, sequence=header.sequence, state=IncomingState.APPLIED
    ).first()
    if applied is None or applied.package_hash != header.hash:
        # Signed by the sender and yet not what was applied under that number: a forked stream.
        data = _read(path)
        if data is None:
            return None
        return _quarantine(actor, direction, path, data, "conflicting_sequence", f"sequence {header.sequence}")
    with transaction.atomic():
        incoming = IncomingPackage.objects.create(
            direction=direction,
            sequence=header.sequence,
            package_hash=header.hash,
            state=IncomingState.DUPLICATE,
            file_name=path.name,
            created_at=header.created_at,
        )
        record_event(
            actor=actor,
            action="exchange.duplicate_ignored",
            obj=incoming,
            after={"file": path.name, "sequence": header.sequence},
        )
    path.unlink(missing_ok=True)
    return incoming


def _apply(
    actor: Actor | None, direction: str, path: Path, keys: px.PartyKeys, previous: str
) -> IncomingPackage | None:
    sender_keys = {key.keyid: key for key in keys.peer_keys}
    data = _read(path)
    if data is None:
        return None
    try:
        package = px.open_package(
            data, direction=direction, sender_keys=sender_keys, keyring=keys.envelope, previous=previous
        )
    except px.PackageError as exc:
        return _quarantine(actor, direction, path, data, exc.reason, str(exc))
    header = package.header
    unknown = sorted(kind for kind in header.kinds if handler_for(kind) is None)
    if unknown:
        return _quarantine(actor, direction, path, data, "unknown_kind", f"no handler for {', '.join(unknown)}")
    media = {sha: media_type for sha, _size, media_type in header.files}
    with transaction.atomic():
        head = _head(direction, lock=True)
        if head.applied_sequence != header.sequence - 1:
            return None  # another worker applied it meanwhile; its file is a duplicate next time
        incoming = IncomingPackage.objects.create(
            direction=direction,
            sequence=header.sequence,
            package_hash=header.hash,
            state=IncomingState.APPLIED,
            file_name=path.name,
            created_at=header.created_at,
        )
        applied = 0
        for message in package.messages:
            if AppliedMessage.objects.filter(message_id=message.id).exists():
                continue  # carried again by a later package (a resend): applied once already
            AppliedMessage.objects.create(message_id=message.id, kind=message.kind, package=incoming)
            handler = handler_for(message.kind)
            assert handler is not None  # checked above
            files = {name: px.CarriedFile(package.files[sha], media[sha]) for name, sha in message.files.items()}
            handler(
                IncomingMessage(
                    id=message.id,
                    kind=message.kind,
                    payload=message.payload,
                    files=files,
                    direction=direction,
                    sequence=header.sequence,
                )
            )
            applied += 1
        ExchangeHead.objects.filter(pk=direction).update(applied_sequence=header.sequence, applied_hash=header.hash)
        # The stream flows again: a silence alert is over (a later silence raises a new one).
        silent = ExchangeAlert.objects.filter(direction=direction, reason="stream_silent", resolved_at__isnull=True)
        for alert in silent:
            _resolve(actor, alert, note=f"package {header.sequence} applied")
        record_event(
            actor=actor,
            action="exchange.package_applied",
            obj=incoming,
            after={"direction": direction, "sequence": header.sequence, "hash": header.hash, "messages": applied},
        )
        if set(header.kinds) != {ACK}:
            # Acknowledged in the other direction's stream; a package of acks only is not acknowledged (that
            # would never end): the next cumulative ack covers it.
            emit(
                actor=actor,
                kind=ACK,
                payload={
                    "direction": direction,
                    "through": header.sequence,
                    "hash": header.hash,
                    "applied_at": timezone.now().isoformat(),
                },
            )
    path.unlink(missing_ok=True)
    return incoming


def _arrivals(
    actor: Actor | None,
    direction: str,
    inbox: Path,
    sender_keys: dict[str, Any],
    judged: list[IncomingPackage],
) -> list[tuple[int, str, Path, px.Header]]:
    """The inbox's authentic packages in sequence order. Only the signed headers are read to order the inbox (a
    zone back after a long outage may find thousands of packages); each package is read whole when its turn
    comes. Unsigned or misdirected packages are quarantined at once (into ``judged``), so only authentic ones
    can wait on a gap."""
    arrivals: list[tuple[int, str, Path, px.Header]] = []
    for path in sorted(inbox.glob(f"*{px.SUFFIX}")):
        try:
            header = px.peek_header(path, direction=direction, sender_keys=sender_keys)
        except FileNotFoundError:
            continue  # judged by another worker meanwhile
        except px.PackageError as exc:
            data = _read(path)
            if data is not None:
                judged.append(_quarantine(actor, direction, path, data, exc.reason, str(exc)))
            continue
        arrivals.append((header.sequence, path.name, path, header))
    return sorted(arrivals, key=lambda arrival: arrival[:2])


def apply_inbox(*, actor: Actor | None) -> list[IncomingPackage]:
    """Judge every package in the inbox, in sequence order; stop at a gap (the rest wait for it)."""
    direction = zones.inbound()
    if direction is None:
        return []
    keys = zones.keys()
    sender_keys = {key.keyid: key for key in keys.peer_keys}
    inbox = zones.inbox_dir()
    inbox.mkdir(parents=True, exist_ok=True)
    judged: list[IncomingPackage] = []
    arrivals = _arrivals(actor, direction, inbox, sender_keys, judged)
    acknowledge_again = False
    for sequence, _name, path, header in arrivals:
        head = _head(direction, lock=False)
        if sequence <= head.applied_sequence:
            outcome = _old_sequence(actor, direction, path, header)
            # Sent again: our acknowledgment may have been lost. Acknowledge (cumulatively) once more.
            if outcome is not None and outcome.state == IncomingState.DUPLICATE and set(header.kinds) != {ACK}:
                acknowledge_again = True
        elif sequence == head.applied_sequence + 1:
            try:
                outcome = _apply(actor, direction, path, keys, head.applied_hash)
            except Exception as exc:
                # A handler failed: the package's transaction rolled back whole and its file stays for the next
                # run. The operators hear of it once, not every minute.
                _alert_once(direction, "apply_failed", f"{path.name}: {type(exc).__name__}: {exc}")
                raise
        else:
            break
        if outcome is not None:
            judged.append(outcome)
    if acknowledge_again:
        with transaction.atomic():
            head = _head(direction, lock=True)
            applied_at = (
                IncomingPackage.objects.filter(
                    direction=direction, sequence=head.applied_sequence, state=IncomingState.APPLIED
                )
                .values_list("received_at", flat=True)
                .first()
            )
            ack = {
                "direction": direction,
                "through": head.applied_sequence,
                "hash": head.applied_hash,
                "applied_at": applied_at.isoformat() if applied_at else None,
            }
            emit(actor=actor, kind=ACK, payload=ack)
    return judged


def _alert_once(direction: str, reason: str, message: str) -> None:
    with transaction.atomic():
        if not ExchangeAlert.objects.filter(direction=direction, reason=reason, resolved_at__isnull=True).exists():
            ExchangeAlert.objects.create(direction=direction, reason=reason, message=message[:2000])
    logger.error("exchange: %s", message)


def check_inbound(*, actor: Actor | None) -> ExchangeAlert | None:
    """Alert when nothing has been applied from the other zone for two heartbeats and a resend: the stream is
    cut (a gateway down, a package lost with nothing after it, a gap nobody fills). One open alert at a time."""
    direction = zones.inbound()
    if direction is None:
        return None
    limit = dt.timedelta(seconds=2 * settings.EXCHANGE_HEARTBEAT_SECONDS + settings.EXCHANGE_RESEND_SECONDS)
    last = (
        IncomingPackage.objects.filter(direction=direction, state=IncomingState.APPLIED)
        .order_by("-sequence")
        .values_list("received_at", flat=True)
        .first()
    )
    if last is None:
        # Nothing ever applied: silent since this zone started exchanging (its first package), if it has.
        last = OutgoingPackage.objects.order_by("created_at").values_list("created_at", flat=True).first()
        if last is None:
            return None
    if timezone.now() - last <= limit:
        return None
    if ExchangeAlert.objects.filter(direction=direction, reason="stream_silent", resolved_at__isnull=True).exists():
        return None
    waiting = sorted(path.name for path in zones.inbox_dir().glob(f"*{px.SUFFIX}"))
    message = f"nothing applied from {direction} since {last:%Y-%m-%d %H:%M:%S %Z}; waiting in the inbox: {waiting[:5]}"
    with transaction.atomic():
        alert = ExchangeAlert.objects.create(direction=direction, reason="stream_silent", message=message)
        record_event(actor=actor, action="exchange.stream_silent", obj=alert, after={"message": message})
    logger.error("exchange: %s", message)
    return alert


def _resolve(actor: Actor | None, alert: ExchangeAlert, *, note: str) -> bool:
    if not ExchangeAlert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(resolved_at=timezone.now()):
        return False
    record_event(actor=actor, action="exchange.alert_resolved", obj=alert, after={"reason": alert.reason, "note": note})
    return True


def resolve_alert(*, actor: Actor, alert_id: str, note: str) -> ExchangeAlert:
    """An operator closes an alert after looking into it (a quarantined package explained, a gateway repaired)."""
    if not note.strip():
        raise ValueError("say what was found: the note is required")
    with transaction.atomic():
        alert = ExchangeAlert.objects.select_for_update().get(pk=alert_id)
        if not _resolve(actor, alert, note=note.strip()[:500]):
            raise ValueError(f"alert {alert_id} is resolved already")
    alert.refresh_from_db()
    return alert


# --- the exchange's own message kinds ----------------------------------------------------------------------------


def apply_ack(message: IncomingMessage) -> None:
    """The other zone applied our packages up to ``through``: mark them acknowledged, clear them from the outbox."""
    direction, through, digest = (message.payload.get(name) for name in ("direction", "through", "hash"))
    sent = None
    if isinstance(through, int) and direction == zones.outbound():
        sent = OutgoingPackage.objects.filter(direction=direction, sequence=through).first()
    if sent is None or sent.package_hash != digest:
        detail = f"acknowledgment of {direction} #{through} ({digest}) matches no package sent"
        ExchangeAlert.objects.create(direction=message.direction, reason="ack_mismatch", message=detail)
        logger.error("exchange: %s", detail)
        return
    # When the other zone applied ``through`` (its own clock): the time a user is shown as "received". For the
    # earlier packages a cumulative ack covers, it is an upper bound (they were applied no later).
    applied_at = None
    with contextlib.suppress(KeyError, TypeError, ValueError):
        applied_at = dt.datetime.fromisoformat(str(message.payload["applied_at"]))
    acknowledged = list(
        OutgoingPackage.objects.filter(
            direction=direction, sequence__lte=through, state__in=[OutgoingState.BUILT, OutgoingState.SENT]
        ).order_by("sequence")
    )
    if not acknowledged:
        return
    # Applied over there: the bytes are no longer needed here (the hash, the messages and the audit events stay).
    OutgoingPackage.objects.filter(pk__in=[package.pk for package in acknowledged]).update(
        state=OutgoingState.ACKNOWLEDGED, acknowledged_at=timezone.now(), content=b"", applied_elsewhere_at=applied_at
    )
    record_event(
        actor=None,
        action="exchange.packages_acknowledged",
        obj=sent,
        after={"direction": direction, "through": through, "sequences": [p.sequence for p in acknowledged]},
    )
    names = [px.file_name(package.direction, package.sequence) for package in acknowledged]
    outbox = zones.outbox_dir()

    def clear() -> None:
        for name in names:
            (outbox / name).unlink(missing_ok=True)

    transaction.on_commit(clear)


def apply_digest(message: IncomingMessage) -> None:
    """The sender's heartbeat: its stream up to ``through`` is what this zone applied (the hash chain already
    guarantees it; a mismatch here means the two zones' records of the stream disagree)."""
    through, digest = message.payload.get("through"), message.payload.get("hash")
    if through == 0 and digest == px.GENESIS:
        return
    applied = IncomingPackage.objects.filter(
        direction=message.direction, sequence=through, state=IncomingState.APPLIED
    ).first()
    if applied is None or applied.package_hash != digest:
        detail = (
            f"the sender's digest says #{through} is {digest}; this zone applied {applied and applied.package_hash}"
        )
        ExchangeAlert.objects.create(direction=message.direction, reason="digest_mismatch", message=detail)
        logger.error("exchange: %s", detail)


def apply_ping(message: IncomingMessage) -> None:
    record_event(
        actor=None,
        action="exchange.ping_received",
        after={
            "message": message.id,
            "note": str(message.payload.get("note", "")),
            "from": message.payload.get("from"),
        },
    )
