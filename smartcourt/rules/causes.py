"""Causes of action (案由) in civil cases, as data: ``data/causes_of_action.json`` with its source (the SPC's
Provisions on the Causes of Action in Civil Cases, 2020 amendment) and version, shown as it is at
/rules/causes/.

Each cause names the kind of litigation fee it is charged under (诉讼费用交纳办法 art. 13), so that the fee
computed at docketing follows from the cause and the amount in dispute, not from a clerk's choice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from smartcourt.core.errors import DomainError
from smartcourt.rules.litigation_fees.calculator import FeeKind

DATA_FILE = Path(__file__).resolve().parent / "data" / "causes_of_action.json"
MAX_QUERY = 50


@dataclass(frozen=True)
class Cause:
    code: str
    name: str
    part: str
    fee_kind: FeeKind


@dataclass(frozen=True)
class CauseList:
    title: str
    title_en: str
    source: str
    source_en: str
    version: str
    coverage: str
    coverage_en: str
    causes: tuple[Cause, ...]

    @property
    def parts(self) -> list[str]:
        return list(dict.fromkeys(cause.part for cause in self.causes))


def parse_causes(raw: dict[str, object]) -> CauseList:
    entries = raw["causes"]
    assert isinstance(entries, list)
    causes = tuple(
        Cause(code=item["code"], name=item["name"], part=item["part"], fee_kind=FeeKind(item["fee_kind"]))
        for item in entries
    )
    if len({c.code for c in causes}) != len(causes) or len({c.name for c in causes}) != len(causes):
        raise ValueError("cause codes and names must be unique")
    fields = {
        key: raw[key] for key in ("title", "title_en", "source", "source_en", "version", "coverage", "coverage_en")
    }
    if not all(isinstance(value, str) and value for value in fields.values()):
        raise ValueError("the cause list needs its title, source, version and coverage")
    return CauseList(causes=causes, **fields)  # type: ignore[arg-type]


@cache
def cause_list() -> CauseList:
    return parse_causes(json.loads(DATA_FILE.read_text(encoding="utf-8")))


def search_causes(query: str) -> list[Cause]:
    """Causes whose name or part contains every word of ``query`` (blank: all of them), in the list's order."""
    words = query.split()[:5]
    if len(query) > MAX_QUERY:
        raise DomainError(_("At most %(count)s characters") % {"count": MAX_QUERY}, field="q")
    return [c for c in cause_list().causes if all(word in c.name or word in c.part or word == c.code for word in words)]


def get_cause(code: str, *, field: str = "cause") -> Cause:
    """The cause with this code, or a refusal naming the field: a cause not in the list is not accepted."""
    for cause in cause_list().causes:
        if cause.code == code:
            return cause
    raise DomainError(_("Choose a cause of action from the list"), field=field)
