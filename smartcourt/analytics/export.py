"""A dashboard panel as an xlsx workbook: the title, the filters, then the same table the page shows."""

from __future__ import annotations

from smartcourt.analytics.selectors import Panel
from smartcourt.core.spreadsheets import write_xlsx


def panel_xlsx(panel: Panel, *, scope: str) -> bytes:
    rows: list[list[object]] = [[panel.title], [scope], [], list(panel.header), *panel.rows]
    return write_xlsx(rows, sheet_name=panel.key)  # type: ignore[arg-type]
