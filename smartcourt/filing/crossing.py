"""Online filings across the two zones (issue 18, ADR 0011 and 0012): the first domain record that travels.

A party files on the internet zone; the filing clerk reviews it on the court zone. Every change of a filing's
status, on either side, sends the filing's whole state to the other zone (``filing.state``): the snapshot is
applied there as it stands, so a message is idempotent, and the exchange's ordering makes the last one win. The
receiving side writes the snapshot directly (it does not go through ``_transition`` again), so nothing echoes
back. In the single zone ``emit`` stores nothing and this costs nothing.

People named in a filing (the filer, the clerk who reviewed it) exist in both zones under the same id: the side
that has not met them yet gets a record without a usable password, which cannot sign in there anyway (the zone
signs in only its own roles, ADR 0012).

Not yet carried: the case the court opens at docketing (its number is in the message, but the internet side has
no case to link yet) and uploaded materials (they will travel as the package's files).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from smartcourt.accounts.models import Organisation, User
from smartcourt.audit.actions import record_event
from smartcourt.exchange.actions import emit
from smartcourt.exchange.handlers import IncomingMessage
from smartcourt.filing.models import Filing, FilingParty, FilingStatusChange

KIND = "filing.state"

# The filing's own fields carried as they are (dates and times as ISO text).
FIELDS = (
    "on_behalf",
    "on_behalf_of",
    "practice_number",
    "status",
    "cause_code",
    "cause_name",
    "cause_list_version",
    "claims",
    "amount_fen",
    "facts",
    "consent_online",
    "correction_items",
    "ruling_reason",
)
DATES = ("decide_by", "correction_due_on", "appeal_by")
TIMES = ("submitted_at", "first_submitted_at")
PARTY_FIELDS = ("role", "kind", "name", "id_number", "credit_code", "phone", "address", "position")


def _person(user: User) -> dict[str, str]:
    return {"id": str(user.pk), "username": user.username, "full_name": user.full_name, "role": user.role}


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def snapshot(filing: Filing) -> dict[str, Any]:
    """Everything the other zone shows of a filing."""
    return {
        "id": str(filing.pk),
        "court": str(filing.court_id),
        "filer": _person(filing.filer),
        "reviewed_by": _person(filing.reviewed_by) if filing.reviewed_by else None,
        "case_number": filing.case.number if filing.case else "",
        **{name: getattr(filing, name) for name in FIELDS},
        **{name: _iso(getattr(filing, name)) for name in DATES + TIMES},
        "parties": [{name: getattr(party, name) for name in PARTY_FIELDS} for party in filing.parties.all()],
        "changes": [
            {
                "from": change.from_status,
                "to": change.to_status,
                "at": change.changed_at.isoformat(),
                "by": _person(change.changed_by),
                "note": change.note,
            }
            for change in filing.status_changes.select_related("changed_by")
        ],
    }


def send_state(*, actor: User, filing: Filing) -> None:
    """Tell the other zone where the filing stands now (inside the action's transaction)."""
    emit(actor=actor, kind=KIND, payload=snapshot(filing))


def _mirror(person: dict[str, str]) -> User:
    user = User.objects.filter(pk=person["id"]).first()
    if user is not None:
        return user
    user = User(id=person["id"], username=person["username"], full_name=person["full_name"], role=person["role"])
    user.set_unusable_password()
    user.save()
    return user


def apply_state(message: IncomingMessage) -> None:
    """The other zone's filing as it stands: created the first time, brought up to date afterwards."""
    data = message.payload
    court = Organisation.objects.get(pk=data["court"])
    values: dict[str, Any] = {name: data[name] for name in FIELDS}
    values.update({name: parse_date(data[name]) if data[name] else None for name in DATES})
    values.update({name: parse_datetime(data[name]) if data[name] else None for name in TIMES})
    reviewer = data.get("reviewed_by")
    filing, created = Filing.objects.update_or_create(
        pk=data["id"],
        defaults={
            **values,
            "court": court,
            "filer": _mirror(data["filer"]),
            "reviewed_by": _mirror(reviewer) if reviewer else None,
        },
    )
    filing.parties.all().delete()
    FilingParty.objects.bulk_create(
        [FilingParty(filing=filing, **{name: party[name] for name in PARTY_FIELDS}) for party in data["parties"]]
    )
    known = set(filing.status_changes.values_list("from_status", "to_status", "changed_at"))
    for change in data["changes"]:
        at = parse_datetime(change["at"])
        if at is None:
            raise ValueError(f"a status change of filing {data['id']} has no time")  # refused: the package rolls back
        if (change["from"], change["to"], at) not in known:
            FilingStatusChange.objects.create(
                filing=filing,
                from_status=change["from"],
                to_status=change["to"],
                changed_at=at,
                changed_by=_mirror(change["by"]),
                note=change["note"],
            )
    record_event(
        actor=None,
        action="filing.state_received",
        obj=filing,
        after={"status": filing.status, "message": message.id, "created": created},
    )
