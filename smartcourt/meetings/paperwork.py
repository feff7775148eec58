"""The meeting's papers: the notice (art. 63), the results notice and the minutes sealed by the court.

The documents app's library renders templates over the case's context only; these papers carry the meeting's
agenda, attendance, questions and results, so they are rendered here from meetings' own templates with the
documents app's layout measure (``render_pdf`` finds ``#seal-anchor``), and the minutes are signed with the
court's seal through the documents app's seals, signing policy and PAdES signer, as claims/sealing.py does for
the administrator's seal. The signed minutes verify on the public verification page like any sealed document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from smartcourt.accounts.models import User
from smartcourt.core.errors import PermissionDenied
from smartcourt.documents import chinese, pades
from smartcourt.documents.actions import COURT_SEAL_PURPOSE, create_seal
from smartcourt.documents.context import document_context
from smartcourt.documents.policies import can_sign_with
from smartcourt.documents.rendering import render_pdf
from smartcourt.documents.selectors import active_seal
from smartcourt.meetings.models import Meeting
from smartcourt.meetings.selectors import agenda, documents_of, questions_of, rights_list

# Agenda kinds as printed on the papers: Chinese court documents whatever the catalogue holds.
KIND_NAMES = {
    "report": "报告事项",
    "general": "一般决议",
    "management_plan": "财产管理方案",
    "realisation_plan": "破产财产变价方案",
    "distribution_plan": "破产财产分配方案",
    "settlement_agreement": "和解协议",
    "reorganisation_plan": "重整计划草案",
}


@dataclass(frozen=True)
class SealedPdf:
    pdf: bytes
    sha256: str
    seal_fingerprint: str


def _context(meeting: Meeting) -> dict[str, Any]:
    case = meeting.case
    items = list(agenda(meeting))
    documents = documents_of(meeting)
    return {
        **document_context(case),
        "meeting": meeting,
        "items": [
            {"item": item, "kind_name": KIND_NAMES.get(item.kind, item.kind), "documents": documents.get(item.pk, [])}
            for item in items
        ],
        "scheduled": timezone.localtime(meeting.scheduled_at),
        "opens": timezone.localtime(meeting.voting_opens_at),
        "closes": timezone.localtime(meeting.voting_closes_at),
        "date_text": chinese.chinese_date(timezone.localdate()),
    }


def _html(template: str, context: dict[str, Any]) -> str:
    with translation.override("zh-hans"):
        # A court paper is Chinese whatever language the judge browses in.
        return render_to_string(template, context)


def notice_pdf(meeting: Meeting) -> bytes:
    return render_pdf(_html("meetings/pdf/notice.html", _context(meeting))).pdf


def results_pdf(meeting: Meeting) -> bytes:
    return render_pdf(_html("meetings/pdf/results.html", _context(meeting))).pdf


def minutes_pdf(*, actor: User, meeting: Meeting) -> SealedPdf:
    """The minutes (attendance, questions and answers, results per item and class, the Merkle root), sealed
    with the court's seal by the judge closing the meeting. Call inside the close's transaction."""
    case = meeting.case
    seal = active_seal(case.court)
    if seal is None:
        seal = create_seal(actor=actor, organisation=case.court, purpose=COURT_SEAL_PURPOSE)
    if not can_sign_with(actor, case, seal):
        raise PermissionDenied("Only a judge of the case seals the minutes")
    rights = list(rights_list(meeting))
    context = {
        **_context(meeting),
        "present": [r for r in rights if r.signed_in_at is not None],
        "absent_count": sum(1 for r in rights if r.signed_in_at is None),
        "rights_count": len(rights),
        "questions": list(questions_of(meeting)),
        "closed": timezone.localtime(meeting.closed_at) if meeting.closed_at else None,
    }
    rendered = render_pdf(_html("meetings/pdf/minutes.html", context))
    signed = pades.sign_pdf(
        rendered.pdf,
        certificate_pem=seal.certificate_pem,
        key_pem=seal.key_pem,
        image_png=bytes(seal.image_png),
        page=rendered.seal_page,
        box=rendered.seal_box,
        reason="债权人会议记录",
        name=str(seal),
        location=case.court.name,
    )
    return SealedPdf(pdf=signed, sha256=hashlib.sha256(signed).hexdigest(), seal_fingerprint=seal.fingerprint)
