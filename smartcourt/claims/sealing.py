"""Claims documents sealed with the administrator firm's seal: the claims table and review-result notices.

The documents app renders its library templates with the case's context only; a claims table or a notice
carries the claims themselves, so claims renders its own HTML and uses the documents app's layout measure
(``render_pdf`` finds the ``#seal-anchor`` box), its seals (``active_seal`` / ``create_seal``), its signing
policy and its PAdES signer. The result verifies on the public verification page like any sealed document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.models import Appointment
from smartcourt.cases.choices import MemberRole
from smartcourt.cases.models import Case
from smartcourt.claims.errors import ClaimError
from smartcourt.core.errors import DomainError, PermissionDenied
from smartcourt.documents import chinese, pades
from smartcourt.documents.actions import FIRM_SEAL_PURPOSE, create_seal
from smartcourt.documents.context import document_context
from smartcourt.documents.policies import can_sign_with
from smartcourt.documents.rendering import render_pdf
from smartcourt.documents.selectors import active_seal


@dataclass(frozen=True)
class SealedPdf:
    pdf: bytes
    sha256: str
    seal_fingerprint: str


def administrator_firm(case: Case) -> Organisation:
    """The firm appointed on ``case``: its seal signs the administrator's documents."""
    appointment = Appointment.objects.filter(case=case).select_related("firm").first()
    if appointment is not None:
        return appointment.firm
    member = case.members.filter(role=MemberRole.ADMINISTRATOR, organisation__isnull=False).first()
    if member is None or member.organisation is None:
        raise DomainError(_("No administrator firm is appointed on the case"), code=ClaimError.NO_FIRM)
    return member.organisation


def sealed_pdf(*, actor: User, case: Case, template: str, context: dict[str, Any], reason: str) -> SealedPdf:
    """Render ``template`` (which places ``<div id="seal-anchor">`` in its signature block) and sign it with the
    appointed firm's seal. Call inside the action's transaction: a new seal is created through documents."""
    firm = administrator_firm(case)
    seal = active_seal(firm)
    if seal is None:
        seal = create_seal(actor=actor, organisation=firm, purpose=FIRM_SEAL_PURPOSE)
    if not can_sign_with(actor, case, seal):
        raise PermissionDenied(_("Only the administrator appointed on this case holds its seal"))
    page_context = {
        **document_context(case),
        **context,
        "case": case,
        "firm_name": firm.name,
        "date_text": chinese.chinese_date(timezone.localdate()),
    }
    with translation.override("zh-hans"):
        # A notice or table is a Chinese legal document whatever language the actor browses in.
        html = render_to_string(template, page_context)
    rendered = render_pdf(html)
    signed = pades.sign_pdf(
        rendered.pdf,
        certificate_pem=seal.certificate_pem,
        key_pem=seal.key_pem,
        image_png=bytes(seal.image_png),
        page=rendered.seal_page,
        box=rendered.seal_box,
        reason=reason,
        name=str(seal),
        location=case.court.name,
    )
    return SealedPdf(pdf=signed, sha256=hashlib.sha256(signed).hexdigest(), seal_fingerprint=seal.fingerprint)
