"""Verifying a PDF: was it signed by a seal of the platform, when, by whom, and is it still what was signed?

Each failure is reported as what it is: a damaged or changed file (not intact), content added after signing
(an incremental update beyond the harmless kinds), a certificate the platform did not issue, or a seal
revoked since."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from smartcourt.documents.models import Document, Seal
from smartcourt.documents.pades import check_signatures

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
    trusted: bool
    known_seal: bool
    revoked: bool
    revoked_at: dt.datetime | None
    changed_after_signing: bool
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Report:
    readable: bool
    signatures: list[SignatureReport] = field(default_factory=list)
    document_title: str = ""
    case_number: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.readable and bool(self.signatures) and not self.problems and all(s.ok for s in self.signatures)

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
            "signatures": [
                {
                    "signer": s.signer,
                    "seal": s.seal,
                    "organisation": s.organisation,
                    "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                    "timestamped": s.timestamped,
                    "intact": s.intact,
                    "trusted": s.trusted,
                    "known_seal": s.known_seal,
                    "revoked": s.revoked,
                    "revoked_at": s.revoked_at.isoformat() if s.revoked_at else None,
                    "changed_after_signing": s.changed_after_signing,
                    "problems": s.problems,
                }
                for s in self.signatures
            ],
        }


def verify_pdf(data: bytes) -> Report:
    """Check every signature of ``data`` against the platform CA and the seal register. Reads nothing from
    the network; never raises on a bad file (an unreadable file is reported as such)."""
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
    for check in checks:
        seal = Seal.objects.select_related("organisation").filter(fingerprint=check.certificate_fingerprint).first()
        problems: list[str] = []
        if not check.intact:
            problems.append(_("not intact: the signed content was changed after signing"))
        changed = not check.covers_whole_file and check.modification_level not in HARMLESS_MODIFICATIONS
        if changed:
            problems.append(
                _("content was added after signing (incremental update: %(level)s)")
                % {"level": check.modification_level}
            )
        if seal is None:
            problems.append(_("unknown certificate: not a seal of this platform"))
        elif not check.trusted:
            problems.append(_("the certificate does not chain to the platform CA"))
        if check.timestamp_trusted is False:
            problems.append(_("the timestamp is not from a trusted timestamp authority, or was altered"))
        if seal is not None and seal.revoked_at is not None:
            problems.append(_("the seal was revoked on %(when)s") % {"when": seal.revoked_at.isoformat()})
        report.signatures.append(
            SignatureReport(
                signer=check.signer_name,
                seal=str(seal) if seal else "",
                organisation=seal.organisation.name if seal else "",
                signed_at=check.timestamped_at if check.timestamp_trusted else check.signed_at,
                timestamped=bool(check.timestamp_trusted),
                intact=check.intact,
                trusted=check.trusted,
                known_seal=seal is not None,
                revoked=bool(seal and seal.revoked_at),
                revoked_at=seal.revoked_at if seal else None,
                changed_after_signing=changed,
                problems=problems,
            )
        )
    if report.signatures and report.signatures[0].known_seal:
        import hashlib

        document = (
            Document.objects.filter(signed_sha256=hashlib.sha256(data).hexdigest()).select_related("case").first()
        )
        if document is not None:
            report.document_title = document.title
            report.case_number = document.case.number
    return report
