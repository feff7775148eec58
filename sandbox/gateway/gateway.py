"""The gateway's work, apart from its process: one scan of the outbox (``Gateway.scan``).

The gateway holds the sending zone's public keys only, so it cannot decrypt a package; it checks what the signed
clear header states and what it can hash: size, signature, the envelope's digest, the message kinds and the
declared file types against its allow-lists. It only reads the sending side: deleting or renaming there would be a
signal back to the sender, which a one-way gateway must not be able to give. What it has handled it remembers in
its own state directory, so a restart forwards again only the package it was killed while forwarding (the
receiving zone ignores such a duplicate).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import stat
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from partnerproto import exchange
from partnerproto.signatures import PublicKey

TEMP_PREFIX = ".gateway-"
HANDLED_LOG = "handled.log"
STALLED_MARKER = "stalled"


@dataclass(frozen=True)
class Outcome:
    name: str
    forwarded: bool
    reason: str = ""
    message: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "forwarded": self.forwarded, "reason": self.reason, "message": self.message}


class Refused(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Gateway:
    direction: str
    outbox: Path
    inbox: Path
    state: Path
    sender_keys_file: Path
    max_bytes: int
    allowed_kinds: Collection[str]
    allowed_types: Collection[str]
    stall: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _handled: set[str] = field(default_factory=set)
    _keys: tuple[int, Mapping[str, PublicKey]] = (-1, {})
    forwarded: int = 0  # since the process started
    rejected: int = 0

    def __post_init__(self) -> None:
        self.rejected_dir.mkdir(parents=True, exist_ok=True)
        self.inbox.mkdir(parents=True, exist_ok=True)
        log = self.state / HANDLED_LOG
        if log.exists():
            # Only what is still in the outbox can come up again; the rest (acknowledged and cleared by the
            # sender) is forgotten, so the record does not grow with every package ever sent.
            present = {path.name for path in self.outbox.glob(f"*{exchange.SUFFIX}")}
            lines = log.read_text(encoding="utf-8").splitlines()
            kept = [line for line in lines if line.split(" ", 2)[1] in present]
            if len(kept) != len(lines):
                exchange.write_atomically(self.state, HANDLED_LOG, "".join(f"{line}\n" for line in kept).encode())
            self._handled = {line.split(" ", 1)[1] for line in kept}
        # A temporary file of ours in the inbox is a transfer we were killed in: it is redone from the outbox.
        for stale in self.inbox.glob(f"{TEMP_PREFIX}*.tmp"):
            stale.unlink()

    def sender_keys(self) -> Mapping[str, PublicKey]:
        """The sending zone's public keys, read again whenever the file changes: a key rotation (ADR 0005's three
        steps) needs no restart of the gateway."""
        mtime = self.sender_keys_file.stat().st_mtime_ns
        if mtime != self._keys[0]:
            self._keys = (mtime, exchange.read_public_keys(self.sender_keys_file))
        return self._keys[1]

    @property
    def rejected_dir(self) -> Path:
        return self.state / "rejected"

    def _remember(self, verdict: str, key: str) -> None:
        with (self.state / HANDLED_LOG).open("a", encoding="utf-8") as log:
            log.write(f"{verdict} {key}\n")
            log.flush()
            os.fsync(log.fileno())
        self._handled.add(key)

    def _inspect(self, path: Path, size: int, mode: int) -> bytes:
        if not stat.S_ISREG(mode):
            # A link or a device could make the gateway read something of its own machine.
            raise Refused("not_a_file", "only regular files pass")
        if size > self.max_bytes:
            raise Refused("too_large", f"{size} bytes, the gateway passes at most {self.max_bytes}")
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)  # swapped for a link since lstat: refused by the kernel
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise Refused("too_large", f"grew past {self.max_bytes} bytes while being read")
        try:
            parts = exchange.check_outer(data, direction=self.direction, sender_keys=self.sender_keys())
        except exchange.PackageError as exc:
            raise Refused(exc.reason, str(exc)) from exc
        header = parts.header
        if path.name != exchange.file_name(header.direction, header.sequence):
            raise Refused("misnamed", f"the header says sequence {header.sequence}")
        kinds = sorted(set(header.kinds) - set(self.allowed_kinds))
        if kinds:
            raise Refused("kind_not_allowed", f"message kinds not allowed through this gateway: {', '.join(kinds)}")
        types = sorted({media for _sha, _size, media in header.files} - set(self.allowed_types))
        if types:
            raise Refused("type_not_allowed", f"file types not allowed through this gateway: {', '.join(types)}")
        return data

    def _stall(self, written: int) -> None:
        """The test hook: half the package is in the inbox under its temporary name; hang there until killed."""
        if self.stall:
            (self.state / STALLED_MARKER).write_text(str(written))
            time.sleep(3600)

    def _reject(self, path: Path, refused: Refused) -> None:
        # A copy for the operators, of a regular file only and at most the size limit (a link, gone meanwhile or
        # too large: the reason file alone says what happened).
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, "rb") as handle:
                if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    exchange.write_atomically(self.rejected_dir, path.name, handle.read(self.max_bytes))
        reason = {"reason": refused.reason, "message": str(refused), "at": dt.datetime.now(dt.UTC).isoformat()}
        text = json.dumps(reason, ensure_ascii=False).encode()
        exchange.write_atomically(self.rejected_dir, f"{path.name}.reason", text)

    def scan(self) -> list[Outcome]:
        """Handle every package in the outbox not handled before, in sequence order (the names sort so)."""
        outcomes = []
        with self._lock:
            for path in sorted(self.outbox.glob(f"*{exchange.SUFFIX}")):
                try:
                    status = path.lstat()  # a link is judged as a link, never followed
                except FileNotFoundError:
                    continue  # acknowledged and cleared by the sender meanwhile
                key = f"{path.name} {status.st_size} {status.st_mtime_ns}"
                if key in self._handled:
                    continue
                try:
                    data = self._inspect(path, status.st_size, status.st_mode)
                except Refused as refused:
                    self._reject(path, refused)
                    self._remember("rejected", key)
                    self.rejected += 1
                    outcomes.append(Outcome(path.name, False, refused.reason, str(refused)))
                    continue
                except FileNotFoundError:
                    continue
                exchange.write_atomically(self.inbox, path.name, data, temp_prefix=TEMP_PREFIX, partial=self._stall)
                self._remember("forwarded", key)
                self.forwarded += 1
                outcomes.append(Outcome(path.name, True))
        return outcomes

    def status(self) -> dict[str, object]:
        return {"direction": self.direction, "forwarded": self.forwarded, "rejected": self.rejected}
