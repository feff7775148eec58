"""JSON API of fund supervision, mounted by config/api.py: ``router`` at /funds, and ``banking_router`` at
/banking for what banks send us (POST /banking/notifications), checked with smartcourt.banking's protocol."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["funds"])
banking_router = Router(tags=["banking"])
