"""Public distribution and fee calculators over the JSON API (no sign-in), mounted under /api/v1/rules."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["rules"])
