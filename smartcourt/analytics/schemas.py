"""API shapes of the analytics app."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class PanelOut(Schema):
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]
