"""Who a document is served on, and the service proof (送达回证) of one delivery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from smartcourt.accounts.models import User
from smartcourt.cases.choices import MemberRole, PartyRole
from smartcourt.cases.models import Case
from smartcourt.documents import chinese
from smartcourt.documents.choices import Channel
from smartcourt.documents.models import Delivery
from smartcourt.documents.rendering import RenderedDocument, render_pdf

GROUPS = ("creditors", "debtor", "parties")
PARTY_MEMBER_ROLES = (MemberRole.PARTY, MemberRole.AGENT)
CHANNEL_NAMES = {Channel.INBOX: "平台收件箱", Channel.EMAIL: "电子邮件", Channel.SMS: "短信"}


@dataclass(frozen=True)
class Recipient:
    key: str
    name: str
    user: User | None
    email: str
    phone: str


def recipients_for(case: Case, groups: tuple[str, ...] | list[str]) -> list[Recipient]:
    """The recipients of ``groups`` on ``case``: members with a platform account (inbox, e-mail, SMS) and
    parties without one (SMS if a phone number is known). A creditor who is both a member and a party is
    served once, as the member."""
    found: dict[str, Recipient] = {}
    names: set[str] = set()
    if "creditors" in groups:
        for member in case.members.filter(role=MemberRole.CREDITOR, user__isnull=False).select_related("user"):
            user = member.user
            assert user is not None
            found[f"user:{user.pk}"] = Recipient(f"user:{user.pk}", user.full_name, user, user.email, user.phone)
            names.add(user.full_name)
    if "parties" in groups:
        # A civil party's own account, or his lawyer's, on the case (the online filer): served in the inbox.
        for member in case.members.filter(role__in=PARTY_MEMBER_ROLES, user__isnull=False).select_related("user"):
            user = member.user
            assert user is not None
            found[f"user:{user.pk}"] = Recipient(f"user:{user.pk}", user.full_name, user, user.email, user.phone)
            names.add(user.full_name)
    roles = set()
    if "creditors" in groups:
        roles.add(PartyRole.CREDITOR)
    if "debtor" in groups:
        roles.add(PartyRole.DEBTOR)
    if "parties" in groups:
        roles.update(
            {PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.THIRD_PARTY, PartyRole.PLAINTIFF, PartyRole.DEFENDANT}
        )
    for party in case.parties.filter(role__in=roles):
        if party.name in names:
            continue
        found.setdefault(f"party:{party.pk}", Recipient(f"party:{party.pk}", party.name, None, "", party.phone))
    return sorted(found.values(), key=lambda r: r.name)


def _served_text(at: dt.datetime) -> str:
    local = timezone.localtime(at)
    return f"{chinese.chinese_date(local.date())}{local:%H时%M分}"


def proof_pdf(delivery: Delivery, *, issuer_name: str) -> RenderedDocument:
    document = delivery.document
    assert delivery.served_at is not None
    address = "；".join(
        part
        for part in (
            "平台账户" if delivery.user_id else "",
            delivery.email,
            delivery.phone,
        )
        if part
    )
    html = render_to_string(
        "documents/pdf/service_proof.html",
        {
            "issuer_name": issuer_name,
            "case_number": document.case.number,
            "case_title": document.case.title,
            "document_title": document.template_version.template.name,
            "recipient_name": delivery.recipient_name,
            "channels": "、".join(CHANNEL_NAMES.get(c, c) for c in delivery.channels),
            "address": address,
            "served_text": _served_text(delivery.served_at),
            "document_sha256": document.signed_sha256,
            "date_text": chinese.chinese_date(timezone.localdate(delivery.served_at)),
        },
    )
    return render_pdf(html)
