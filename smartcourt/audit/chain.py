"""The canonical form of an audit event and its hash.

The canonical form is UTF-8 JSON with sorted keys and no insignificant whitespace, over the fields
listed in ``CANONICAL_FIELDS``. Payload values must be JSON-native (strings, integers, booleans, null,
lists, objects): floats are refused because their text form is not stable across databases, and money
is in integer fen anyway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

GENESIS_HASH = "0" * 64

CANONICAL_FIELDS = (
    "seq",
    "event_id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "case_id",
    "object_type",
    "object_id",
    "before",
    "after",
    "prev_hash",
)

JSONValue = str | int | bool | None | list["JSONValue"] | dict[str, "JSONValue"]


def to_json_value(value: Any, *, path: str = "payload") -> JSONValue:
    """Convert a payload to JSON-native values: dates, UUIDs and Decimals become strings."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise TypeError(f"{path}: floats are not allowed in audit payloads (use integer fen or a string)")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return format_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_json_value(item, path=f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [to_json_value(item, path=f"{path}[{index}]") for index, item in enumerate(items)]
    raise TypeError(f"{path}: {type(value).__name__} cannot be written to the audit log")


def format_timestamp(value: dt.datetime) -> str:
    """UTC with microseconds, the precision both databases keep."""
    if value.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(fields: Mapping[str, Any]) -> bytes:
    document = {name: fields[name] for name in CANONICAL_FIELDS}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def event_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(fields)).hexdigest()
