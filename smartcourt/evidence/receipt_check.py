"""The public verification page's check: the offline verifier's, with the court's own key, plus one thing only
the court can add: that the receipt's checkpoint is consistent with the log as it stands today."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from partnerproto import merkle
from partnerproto.note import NoteError, parse_verifier_key
from smartcourt.evidence.hashing import hash_upload
from smartcourt.evidence.keys import log_verifier_key
from smartcourt.evidence.models import Witness
from smartcourt.evidence.selectors import consistency_proof, latest_checkpoint
from smartcourt.evidence.tree import LogDamaged
from smartcourt.evidence.verify import ReceiptError, Report, load_receipt, verify_receipt

MAX_RECEIPT_BYTES = 2 * 1024 * 1024
# The verifier is Django-free and names its checks in English; the page shows them in the reader's language.
CHECK_LABELS = {
    "receipt readable": gettext_lazy("The receipt can be read"),
    "leaf commits to the subject": gettext_lazy("The leaf commits to the evidence's SHA-256"),
    "leaf hash": gettext_lazy("Leaf hash"),
    "file": gettext_lazy("The file matches the receipt"),
    "checkpoint signature": gettext_lazy("The court's signature on the checkpoint"),
    "checkpoint origin": gettext_lazy("The checkpoint is this court's log"),
    "inclusion proof": gettext_lazy("Inclusion proof: the leaf is in the signed tree"),
    "consistent with the log today": gettext_lazy("Consistent with the log today"),
}
RECEIPT_ATTACHMENT = "receipt.json"


def receipt_bytes(content: bytes) -> bytes:
    """The receipt JSON itself, or the one attached to a receipt PDF."""
    if not content.startswith(b"%PDF-"):
        return content
    try:
        attachments = PdfReader(io.BytesIO(content)).attachments
        return bytes(attachments[RECEIPT_ATTACHMENT][0])
    except (PyPdfError, KeyError, IndexError, ValueError, OSError) as exc:
        raise ReceiptError(_("this PDF carries no receipt.json: is it a receipt PDF of this court?")) from exc


def check_receipt(receipt_upload: Any, evidence_upload: Any | None) -> tuple[Report, dict[str, Any]]:
    """Verify an uploaded receipt (JSON or PDF) and, if given, the evidence file against it."""
    content = b"".join(receipt_upload.chunks())
    if len(content) > MAX_RECEIPT_BYTES:
        raise ReceiptError(_("a receipt is at most 2 MiB"))
    receipt = load_receipt(receipt_bytes(content))
    file_sha256 = hash_upload(evidence_upload).sha256 if evidence_upload is not None else None
    witnesses = []
    for witness in Witness.objects.filter(active=True).order_by("name"):
        try:
            key = parse_verifier_key(witness.public_key)
        except NoteError:
            continue
        if any(f"\u2014 {key.name} " in line for line in str(receipt.get("checkpoint", "")).splitlines()):
            witnesses.append(key)
    report = verify_receipt(receipt, file_sha256=file_sha256, public_key=log_verifier_key(), witness_keys=witnesses)
    _consistent_with_today(report)
    return report, receipt


def _consistent_with_today(report: Report) -> None:
    seen = report.checkpoint
    latest = latest_checkpoint()
    if seen is None or latest is None:
        return
    name = "consistent with the log today"
    root = bytes(latest.root_hash)
    try:
        if seen.size > latest.tree_size:
            report.add(name, False, _("the receipt's checkpoint is larger than any this log has signed"))
            return
        path = consistency_proof(seen.size, latest.tree_size) if seen.size else []
        merkle.verify_consistency(seen.size, latest.tree_size, seen.root, root, path)
        report.add(
            name,
            True,
            _("the log of %(now)d leaves extends the receipt's tree of %(then)d")
            % {"now": latest.tree_size, "then": seen.size},
        )
    except (merkle.ProofError, LogDamaged) as exc:
        report.add(name, False, str(exc))


# The offline verifier (verify.py) speaks English and knows no Django; the page says its findings in the reader's
# language. A detail no pattern matches is shown as the verifier wrote it, marked as code (translate="no").
_DETAILS = [
    (
        re.compile(r"signed by (?P<name>.+) \(key ID (?P<kid>[0-9a-f]+)\) at tree size (?P<size>[0-9]+)"),
        gettext_lazy("signed by %(name)s (key ID %(kid)s) at tree size %(size)s"),
    ),
    (
        re.compile(r"leaf (?P<index>[0-9]+) is in the tree of (?P<size>[0-9]+) with the signed root"),
        gettext_lazy("leaf %(index)s is in the tree of %(size)s with the signed root"),
    ),
    (
        re.compile(r"SHA-256\(0x00 \|\| leaf data\) = (?P<hash>[0-9a-f]+)"),
        gettext_lazy("SHA-256(0x00 || leaf data) = %(hash)s"),
    ),
    (
        re.compile(r"the file's SHA-256 is (?P<file>\w+); the receipt's (?P<receipt>\w+)"),
        gettext_lazy("the file's SHA-256 is %(file)s; the receipt records %(receipt)s"),
    ),
    (re.compile(r"cosigned at POSIX time (?P<time>[0-9]+)"), gettext_lazy("cosigned at POSIX time %(time)s")),
    (
        re.compile(r"the checkpoint is of log '(?P<origin>[^']+)'; the key is '(?P<key>[^']+)'"),
        gettext_lazy("the checkpoint is of log %(origin)s; the key is %(key)s"),
    ),
    (
        re.compile(r"leaf data '(?P<data>[^']*)'; expected '(?P<expected>[^']*)'"),
        gettext_lazy("leaf data %(data)s; expected %(expected)s"),
    ),
    (
        re.compile(r"both checkpoints have (?P<size>[0-9]+) leaves and the same root"),
        gettext_lazy("both checkpoints have %(size)s leaves and the same root"),
    ),
    (
        re.compile(r"the tree of (?P<newer>[0-9]+) leaves extends the tree of (?P<older>[0-9]+)"),
        gettext_lazy("the tree of %(newer)s leaves extends the tree of %(older)s"),
    ),
]


def readable_detail(detail: str) -> tuple[str, bool]:
    """(the detail in the reader's language, True) or (the verifier's own words, False)."""
    for pattern, template in _DETAILS:
        match = pattern.fullmatch(detail)
        if match:
            return str(template) % match.groupdict(), True
    return detail, False


def labelled(report: Report) -> list[dict[str, Any]]:
    """The report's checks with a label for the page (witness cosignatures are named by the witness)."""
    checks = []
    for check in report.checks:
        if check.name.startswith("cosignature of "):
            label = _("Cosignature of witness %(name)s") % {"name": check.name.removeprefix("cosignature of ")}
        else:
            label = str(CHECK_LABELS.get(check.name, check.name))
        detail, translated = readable_detail(check.detail)
        checks.append(
            {"name": check.name, "label": label, "ok": check.ok, "detail": detail, "detail_translated": translated}
        )
    return checks
