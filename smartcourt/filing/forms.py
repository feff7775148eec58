"""Parsing of the filing pages' forms into the plain arguments the actions take. The rules live in actions."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

PARTY_ROWS = 3
PARTY_FIELDS = ("role", "kind", "name", "id_number", "credit_code", "phone", "address")
DEFAULT_ROLES = ("plaintiff", "defendant", "defendant")


def parse_filing(post: QueryDict) -> dict[str, Any]:
    """The save_draft arguments from the form (rows without a name are left out)."""
    parties = []
    for index in range(PARTY_ROWS):
        row = {name: post.get(f"p{index}_{name}", "").strip() for name in PARTY_FIELDS}
        if row["name"]:
            parties.append(row)
    return {
        "court_id": post.get("court", ""),
        "cause_code": post.get("cause_code", "").strip(),
        "claims": post.get("claims", ""),
        "amount": post.get("amount", "").strip() or None,
        "facts": post.get("facts", ""),
        "consent_online": post.get("consent_online") == "on",
        "parties": parties,
        "practice_number": post.get("practice_number", "").strip(),
        "on_behalf_of": post.get("on_behalf_of", "").strip(),
    }


def form_field(error_field: str | None, parties_sent: list[int]) -> str | None:
    """The input an action's error names: ``parties.1.credit_code`` is the second row *sent*."""
    if not error_field:
        return None
    if error_field.startswith("parties."):
        parts = error_field.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(parties_sent):
            return f"p{parties_sent[int(parts[1])]}_{parts[2]}"
        return "parties"
    return {"cause": "cause_code", "court": "court"}.get(error_field, error_field)


def rows_sent(post: QueryDict) -> list[int]:
    return [i for i in range(PARTY_ROWS) if post.get(f"p{i}_name", "").strip()]
