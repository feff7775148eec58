"""Message handlers: what applying a message of each kind does in the receiving zone.

The exchange sits below the apps that cross zones, so it cannot import them: an app registers a handler for each
kind it sends from its ``AppConfig.ready`` (as records register a ``LeafSource`` with the audit log), and
``apply_inbox`` asks the registry. A handler runs inside the package's transaction, once per message id; it
writes through its own app's actions (the actor is the system: the person who acted is in the payload) and
raises to refuse, which rolls the whole package back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from partnerproto.exchange import CarriedFile

_KIND = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


@dataclass(frozen=True)
class IncomingMessage:
    id: str
    kind: str
    payload: Mapping[str, Any]
    files: Mapping[str, CarriedFile]  # by the names the sender gave
    direction: str
    sequence: int


Handler = Callable[[IncomingMessage], None]
_handlers: dict[str, Handler] = {}


class HandlerError(ValueError):
    """A registration that would make a kind ambiguous."""


def register_handler(kind: str, handler: Handler) -> None:
    """Declare what applying ``kind`` does. Registering the same handler again is harmless; another one for the
    same kind is refused."""
    if not _KIND.match(kind):
        raise HandlerError(f"message kind {kind!r} is not app.name in lower case")
    existing = _handlers.get(kind)
    if existing is not None and existing is not handler:
        raise HandlerError(f"message kind {kind!r} has a handler already")
    _handlers[kind] = handler


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)


def register_own_handlers() -> None:
    from smartcourt.exchange import actions

    register_handler(actions.ACK, actions.apply_ack)
    register_handler(actions.PING, actions.apply_ping)
    register_handler(actions.DIGEST, actions.apply_digest)
