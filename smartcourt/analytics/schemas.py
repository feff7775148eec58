"""API shapes of the analytics app."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Schema

from smartcourt.analytics.selectors import Panel


def _cell(value: Any) -> Any:
    # Money and means as decimal strings at the API edge, never floats.
    return str(value) if isinstance(value, Decimal) else value


class PanelOut(Schema):
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]

    @staticmethod
    def resolve_rows(table: Panel) -> list[list[Any]]:
        return [[_cell(value) for value in row] for row in table.rows]
