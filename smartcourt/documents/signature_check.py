"""Verifying a PDF: was it signed by a seal of the platform, when, by whom, and is it still what was signed?

Three questions are answered separately, each with its own reason, because they fail for different causes
and mean different things to whoever holds the file:

- **integrity**: is the signed content unchanged? (pyHanko's ``intact``: the digest in the signature matches
  the bytes it covers, and nothing beyond the harmless kinds was appended after signing);
- **signature**: does the signature value verify with the signer's public key? (pyHanko's ``valid``: a
  flipped byte in the signature value leaves the content intact but the signature invalid);
- **trust**: is the signer a seal of this platform, chained to the platform CA, not revoked, and is its
  timestamp from a trusted timestamp authority?

An exported dossier (``smartcourt.documents.dossier_export``) is recognised by its manifest attachment: its
own signature (the court's export certificate) is checked as above, then every embedded original is checked
against the manifest's SHA-256, verified in turn as a signed PDF when it is one, and its transparency-log
receipt checked offline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from smartcourt.documents.models import Document, Seal
from smartcourt.documents.pades import SignatureCheck, check_signatures

# pyHanko's modification levels that leave what was signed unchanged (a later timestamp or validation data).
HARMLESS_MODIFICATIONS = frozenset({"NONE", "LTA_UPDATES"})


@dataclass
class SignatureReport:
    signer: str
    seal: str
    organisation: str
    signed_at: dt.datetime | None
    timestamped: bool  # the time comes from a trusted timestamp authority, not from the signer's clock
    intact: bool
    valid: bool
    trusted: bool
    known_seal: bool
    revoked: bool
    revoked_at: dt.datetime | None
    changed_after_signing: bool
    integrity_problems: list[str] = field(default_factory=list)
    signature_problems: list[str] = field(default_factory=list)
    trust_problems: list[str] = field(default_factory=list)
    long_term: str = ""  # "", "B-B", "B-T", "B-LT" or "B-LTA": what the file carries for long-term validation

    @property
    def problems(self) -> list[str]:
        return [*self.integrity_problems, *self.signature_problems, *self.trust_problems]

    @property
    def integrity_ok(self) -> bool:
        return not self.integrity_problems

    @property
    def signature_ok(self) -> bool:
        return not self.signature_problems

    @property
    def trust_ok(self) -> bool:
        return not self.trust_problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "signer": self.signer,
            "seal": self.seal,
            "organisation": self.organisation,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "timestamped": self.timestamped,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "known_seal": self.known_seal,
            "revoked": self.revoked,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "changed_after_signing": self.changed_after_signing,
            "integrity": {"ok": self.integrity_ok, "reasons": self.integrity_problems},
            "signature": {"ok": self.signature_ok, "reasons": self.signature_problems},
            "trust": {"ok": self.trust_ok, "reasons": self.trust_problems},
            "long_term": self.long_term,
            "problems": self.problems,
        }


@dataclass
class EmbeddedOriginal:
    """One entry of an exported dossier, as found in the export."""

    number: int
    title: str
    attachment: str
    expected_sha256: str
    sha256: str = ""
    present: bool = False
    signed_report: Report | None = None  # the original's own verification, when it is a signed PDF
    receipt_ok: bool | None = None  # None: the entry has no receipt in the export
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and (self.signed_report is None or self.signed_report.ok)

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "title": self.title,
            "attachment": self.attachment,
            "expected_sha256": self.expected_sha256,
            "sha256": self.sha256,
            "present": self.present,
            "ok": self.ok,
            "receipt_ok": self.receipt_ok,
            "signed": self.signed_report.as_dict() if self.signed_report is not None else None,
            "problems": self.problems,
        }


@dataclass
class ExportReport:
    case_number: str
    generated_at: str
    entries: list[EmbeddedOriginal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(entry.ok for entry in self.entries)

    def as_dict(self) -> dict[str, object]:
        return {
            "case_number": self.case_number,
            "generated_at": self.generated_at,
            "ok": self.ok,
            "problems": self.problems,
            "entries": [entry.as_dict() for entry in self.entries],
        }


@dataclass
class Report:
    readable: bool
    signatures: list[SignatureReport] = field(default_factory=list)
    document_title: str = ""
    case_number: str = ""
    problems: list[str] = field(default_factory=list)
    export: ExportReport | None = None

    @property
    def ok(self) -> bool:
        return (
            self.readable
            and bool(self.signatures)
            and not self.problems
            and all(s.ok for s in self.signatures)
            and (self.export is None or self.export.ok)
        )

    @property
    def verdict(self) -> str:
        if self.ok:
            return "valid"
        if not self.readable:
            return "unreadable"
        if not self.signatures:
            return "unsigned"
        return "invalid"

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "ok": self.ok,
            "document_title": self.document_title,
            "case_number": self.case_number,
            "problems": self.problems,
            "signatures": [s.as_dict() for s in self.signatures],
            "export": self.export.as_dict() if self.export is not None else None,
        }


def _integrity(check: SignatureCheck) -> tuple[list[str], bool]:
    problems: list[str] = []
    if not check.intact:
        problems.append(_("not intact: the signed content was changed after signing"))
    changed = not check.covers_whole_file and check.modification_level not in HARMLESS_MODIFICATIONS
    if changed:
        problems.append(
            _("content was added after signing (incremental update: %(level)s)") % {"level": check.modification_level}
        )
    return problems, changed


def _signature(check: SignatureCheck) -> list[str]:
    if check.valid:
        return []
    # pyHanko's ``valid`` is the cryptographic check of the signature value over the signed attributes, which
    # is independent of whether the content still matches its digest (``intact``).
    return [_("signature invalid: the signature value does not verify with the signer's certificate")]


def _trust(check: SignatureCheck, seal: Seal | None) -> list[str]:
    problems: list[str] = []
    if seal is None:
        problems.append(_("unknown certificate: not a seal of this platform"))
    if not check.trusted:
        problems.append(_("the certificate does not chain to the platform CA"))
    if check.timestamp_trusted is False:
        problems.append(_("the timestamp is not from a trusted timestamp authority, or was altered"))
    if seal is not None and seal.revoked_at is not None:
        problems.append(_("the seal was revoked on %(when)s") % {"when": seal.revoked_at.isoformat()})
    return problems


def _signature_report(check: SignatureCheck) -> SignatureReport:
    seal = Seal.objects.select_related("organisation").filter(fingerprint=check.certificate_fingerprint).first()
    integrity, changed = _integrity(check)
    return SignatureReport(
        signer=check.signer_name,
        seal=str(seal) if seal else "",
        organisation=seal.organisation.name if seal else "",
        signed_at=check.timestamped_at if check.timestamp_trusted else check.signed_at,
        timestamped=bool(check.timestamp_trusted),
        intact=check.intact,
        valid=check.valid,
        trusted=check.trusted,
        known_seal=seal is not None,
        revoked=bool(seal and seal.revoked_at),
        revoked_at=seal.revoked_at if seal else None,
        changed_after_signing=changed,
        integrity_problems=integrity,
        signature_problems=_signature(check),
        trust_problems=_trust(check, seal),
        long_term=check.long_term,
    )


def verify_pdf(data: bytes, *, _depth: int = 0) -> Report:
    """Check every signature of ``data`` against the platform CA and the seal register, and, for an exported
    dossier, every original it carries. Reads nothing from the network; never raises on a bad file (an
    unreadable file is reported as such)."""
    if not data.startswith(b"%PDF-"):
        return Report(readable=False, problems=[_("not a PDF file")])
    try:
        checks = check_signatures(data)
    except Exception as exc:
        return Report(
            readable=False, problems=[_("the PDF cannot be read (%(error)s)") % {"error": type(exc).__name__}]
        )
    report = Report(readable=True)
    if not checks:
        report.problems.append(_("the PDF carries no signature"))
    report.signatures = [_signature_report(check) for check in checks]
    if report.signatures and report.signatures[0].known_seal:
        digest = hashlib.sha256(data).hexdigest()
        # The signed PDF as filed, or its archive copy with renewed timestamps.
        document = (
            Document.objects.filter(Q(signed_sha256=digest) | Q(archive_sha256=digest)).select_related("case").first()
        )
        if document is not None:
            report.document_title = document.title
            report.case_number = document.case.number
    if _depth == 0:
        from smartcourt.documents.dossier_export import verify_export

        report.export = verify_export(data, report, verify_original=lambda pdf: verify_pdf(pdf, _depth=1))
        if report.export is not None:
            report.case_number = report.export.case_number
    return report
