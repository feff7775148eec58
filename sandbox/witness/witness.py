"""What the witness does with a checkpoint.

A checkpoint arrives by polling the log (``poll``: the log's *latest*) or from anyone who shows the witness
one they were given (``observe(..., latest=False)``: gossip, which is how a split view is caught). It must
carry a valid signature of the court's log key. Then, against the witness's view (the largest consistent
checkpoint it has seen) and its history of every size it verified:

* same size as one seen, other root: **split view** — two signed, conflicting trees: alarm;
* larger than the view: the log's consistency proof from the view's size must verify, else **inconsistent**:
  alarm; if it verifies, the view moves on and the witness cosigns;
* the log's latest smaller than the view: **rollback** (the log lost leaves, or was restored from a backup):
  alarm; a smaller one shown by gossip is fine if the log proves it consistent with the view;
* same as the view: cosigned again when the log re-signed it with a newer timestamp.

After an alarm the witness stops cosigning for good (an operator must look), keeps the alarm, logs it and
posts it, signed, to the platform (``/api/v1/transparency/alarms``), retrying until it is delivered.
Cosignatures go to ``/api/v1/transparency/cosignatures``, also retried until delivered.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from partnerproto import merkle, note
from sandbox.witness import store

logger = logging.getLogger("sandbox.witness")

HTTP_TIMEOUT_SECONDS = 10


class LogUnreachable(RuntimeError):
    """The log did not answer (or answered nonsense); nothing is concluded from that."""


class Rejected(ValueError):
    """A checkpoint the witness will not consider: another log's, or not signed by the log's key."""


class Malformed(Rejected):
    """Not a checkpoint at all."""


@dataclass
class Outcome:
    status: str  # "cosigned", "unchanged", "recorded", "alarm", "halted"
    size: int | None = None
    detail: str = ""
    cosignature: str | None = None
    alarm: dict[str, Any] | None = field(default=None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "size": self.size,
            "detail": self.detail,
            "cosignature": self.cosignature,
            "alarm": self.alarm,
        }


class Witness:
    def __init__(
        self,
        *,
        db_path: Path,
        name: str,
        private_key: Ed25519PrivateKey,
        log_key: note.VerifierKey,
        log_url: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.db_path = db_path
        self.name = note.check_name(name)
        self.private_key = private_key
        self.log_key = log_key
        self.origin = log_key.name
        self.log_url = log_url.rstrip("/")
        self.clock = clock
        self.lock = threading.Lock()
        store.initialise(db_path)

    @property
    def verifier_key(self) -> note.VerifierKey:
        return note.verifier_key(self.name, self.private_key.public_key(), note.COSIGNATURE_V1)

    # --- talking to the log ---------------------------------------------------------------------------------

    def _get(self, path: str, **query: int) -> dict[str, Any]:
        url = f"{self.log_url}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        try:
            with urllib.request.urlopen(url, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310 - configured URL
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise LogUnreachable(f"GET {url}: {exc}") from exc
        if not isinstance(answer, dict):
            raise LogUnreachable(f"GET {url}: not a JSON object")
        return answer

    def _post(self, path: str, body: dict[str, Any]) -> bool:
        request = urllib.request.Request(  # noqa: S310 - configured URL
            f"{self.log_url}{path}",
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310
                return 200 <= response.status < 300
        except urllib.error.HTTPError as exc:
            logger.warning("POST %s refused: %s %s", path, exc.code, exc.read()[:300])
            return False
        except (urllib.error.URLError, OSError) as exc:
            logger.warning("POST %s failed: %s", path, exc)
            return False

    def _consistency(self, first: int, second: int) -> list[bytes]:
        answer = self._get("/api/v1/transparency/proof/consistency", first=first, second=second)
        try:
            return [base64.b64decode(item, validate=True) for item in answer["consistency_path"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise LogUnreachable(f"the log's consistency proof is malformed: {exc}") from exc

    # --- the rules ------------------------------------------------------------------------------------------

    def poll(self) -> Outcome:
        """Fetch the log's latest checkpoint and handle it; then deliver anything not yet delivered."""
        answer = self._get("/api/v1/transparency/checkpoint")
        text = answer.get("note")
        if not isinstance(text, str):
            raise LogUnreachable("the log's checkpoint answer has no note")
        outcome = self.observe(text, latest=True)
        self.deliver()
        return outcome

    def observe(self, encoded: str, *, latest: bool) -> Outcome:
        with self.lock:
            return self._observe(encoded, latest=latest)

    def _parse(self, encoded: str, *, latest: bool) -> tuple[note.Note, note.Checkpoint] | Outcome:
        try:
            parsed = note.parse_note(encoded)
            checkpoint = note.parse_checkpoint(parsed.text)
        except note.NoteError as exc:
            raise Malformed(f"not a checkpoint: {exc}") from exc
        if checkpoint.origin != self.origin:
            raise Rejected(f"a checkpoint of another log ({checkpoint.origin!r})")
        try:
            note.verify(parsed, self.log_key)
        except note.NoteError as exc:
            if not latest:
                raise Rejected(str(exc)) from exc
            # The log itself served it: that is worth an alarm, whoever altered it on the way.
            return self._alarm(
                "bad_signature",
                f"the log served a checkpoint without a valid signature: {exc}",
                {"checkpoint": encoded},
            )
        return parsed, checkpoint

    def _observe(self, encoded: str, *, latest: bool) -> Outcome:
        parsed_or_alarm = self._parse(encoded, latest=latest)
        if isinstance(parsed_or_alarm, Outcome):
            return parsed_or_alarm
        parsed, checkpoint = parsed_or_alarm
        with store.opened(self.db_path) as db:
            view = db.execute("SELECT * FROM view WHERE origin = ?", (self.origin,)).fetchone()
            seen = db.execute(
                "SELECT * FROM seen WHERE origin = ? AND size = ?", (self.origin, checkpoint.size)
            ).fetchone()
        if seen is not None and bytes(seen["root"]) != checkpoint.root:
            return self._alarm(
                "split_view",
                f"two checkpoints of {checkpoint.size} leaves signed by the log with different roots",
                {"checkpoint": parsed.encode(), "seen": seen["note"]},
            )
        if view is not None and view["halted"]:
            return Outcome("halted", checkpoint.size, f"not cosigning since the alarm: {view['halt_reason']}")
        if view is None:
            # Trust on first use: the first checkpoint seen starts the witness's view.
            self._remember(parsed, checkpoint, move_view=True)
            return self._cosign(parsed, checkpoint)
        view_size, view_root = int(view["size"]), bytes(view["root"])
        if checkpoint.size == view_size:
            return self._cosign(parsed, checkpoint) if latest else Outcome("unchanged", checkpoint.size)
        if checkpoint.size < view_size:
            if latest:
                return self._alarm(
                    "rollback",
                    f"the log's latest checkpoint has {checkpoint.size} leaves; it had shown {view_size}",
                    {"checkpoint": parsed.encode(), "seen": view["note"]},
                )
            proof = self._consistency(checkpoint.size, view_size)
            try:
                merkle.verify_consistency(checkpoint.size, view_size, checkpoint.root, view_root, proof)
            except merkle.ProofError as exc:
                return self._inconsistent(parsed, view, proof, exc)
            self._remember(parsed, checkpoint, move_view=False)
            return Outcome("recorded", checkpoint.size, "an older checkpoint, consistent with the view")
        proof = self._consistency(view_size, checkpoint.size)
        try:
            merkle.verify_consistency(view_size, checkpoint.size, view_root, checkpoint.root, proof)
        except merkle.ProofError as exc:
            return self._inconsistent(parsed, view, proof, exc)
        self._remember(parsed, checkpoint, move_view=True)
        return self._cosign(parsed, checkpoint)

    def _inconsistent(self, parsed: note.Note, view: Any, proof: list[bytes], exc: Exception) -> Outcome:
        return self._alarm(
            "inconsistent",
            f"the log's checkpoint does not extend the one of {view['size']} leaves the witness saw: {exc}",
            {
                "checkpoint": parsed.encode(),
                "seen": view["note"],
                "consistency_path": [base64.b64encode(h).decode() for h in proof],
            },
        )

    def _remember(self, parsed: note.Note, checkpoint: note.Checkpoint, *, move_view: bool) -> None:
        now = int(self.clock())
        encoded = note.Note(parsed.text, parsed.signatures[:1]).encode()
        with store.opened(self.db_path) as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT OR IGNORE INTO seen (origin, size, root, note, seen_at) VALUES (?, ?, ?, ?, ?)",
                (self.origin, checkpoint.size, checkpoint.root, encoded, now),
            )
            if move_view:
                db.execute(
                    "INSERT INTO view (origin, size, root, note) VALUES (?, ?, ?, ?) ON CONFLICT (origin) "
                    "DO UPDATE SET size = excluded.size, root = excluded.root, note = excluded.note",
                    (self.origin, checkpoint.size, checkpoint.root, encoded),
                )
            db.execute("COMMIT")

    def _cosign(self, parsed: note.Note, checkpoint: note.Checkpoint) -> Outcome:
        with store.opened(self.db_path) as db:
            done = db.execute("SELECT line FROM cosigned WHERE text = ?", (parsed.text,)).fetchone()
            if done is not None:
                return Outcome("unchanged", checkpoint.size, "cosigned before", done["line"])
            signature = note.cosign(parsed.text, self.name, self.private_key, int(self.clock()))
            line = signature.line().rstrip("\n")
            db.execute(
                "INSERT INTO cosigned (text, size, line, signed_at) VALUES (?, ?, ?, ?)",
                (parsed.text, checkpoint.size, line, int(self.clock())),
            )
        logger.info("cosigned the checkpoint of %s leaves", checkpoint.size)
        return Outcome("cosigned", checkpoint.size, "", line)

    def _alarm(self, kind: str, message: str, evidence: dict[str, Any]) -> Outcome:
        timestamp = int(self.clock())
        alarm = {"witness": self.name, "kind": kind, "message": message, "evidence": evidence, "timestamp": timestamp}
        signature = base64.b64encode(self.private_key.sign(note.alarm_message(alarm))).decode()
        with store.opened(self.db_path) as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO alarm (kind, message, evidence, raised_at, signature) VALUES (?, ?, ?, ?, ?)",
                (kind, message, json.dumps(evidence, ensure_ascii=False), timestamp, signature),
            )
            db.execute(
                "UPDATE view SET halted = 1, halt_reason = ? WHERE origin = ? AND halted = 0",
                (f"{kind}: {message}", self.origin),
            )
            db.execute("COMMIT")
        logger.error("ALARM %s: %s", kind, message)
        return Outcome("alarm", None, message, None, {**alarm, "signature": signature})

    # --- delivery -------------------------------------------------------------------------------------------

    def deliver(self) -> None:
        """Post every cosignature and alarm the platform has not accepted yet."""
        with store.opened(self.db_path) as db:
            cosignatures = store.rows(db, "SELECT text, line FROM cosigned WHERE delivered = 0")
            alarms = store.rows(db, "SELECT * FROM alarm WHERE delivered = 0 ORDER BY id")
        for row in alarms:
            body = {
                "witness": self.name,
                "kind": row["kind"],
                "message": row["message"],
                "evidence": json.loads(row["evidence"]),
                "timestamp": row["raised_at"],
                "signature": row["signature"],
            }
            if self._post("/api/v1/transparency/alarms", body):
                with store.opened(self.db_path) as db:
                    db.execute("UPDATE alarm SET delivered = 1 WHERE id = ?", (row["id"],))
        for row in cosignatures:
            if self._post("/api/v1/transparency/cosignatures", {"checkpoint": row["text"], "cosignature": row["line"]}):
                with store.opened(self.db_path) as db:
                    db.execute("UPDATE cosigned SET delivered = 1 WHERE text = ?", (row["text"],))

    def state(self) -> dict[str, Any]:
        with store.opened(self.db_path) as db:
            view = db.execute("SELECT * FROM view WHERE origin = ?", (self.origin,)).fetchone()
            alarms = store.rows(db, "SELECT kind, message, raised_at, delivered FROM alarm ORDER BY id")
            cosigned = db.execute("SELECT COUNT(*) FROM cosigned").fetchone()[0]
        return {
            "name": self.name,
            "public_key": self.verifier_key.encode(),
            "origin": self.origin,
            "size": view["size"] if view else None,
            "root": base64.b64encode(bytes(view["root"])).decode() if view else None,
            "halted": bool(view["halted"]) if view else False,
            "halt_reason": view["halt_reason"] if view else "",
            "cosigned": cosigned,
            "alarms": alarms,
        }
