"""A reproducible, verifiable random draw among an ordered list of candidates (an administrator firm from the
roster, a presiding judge among a court's judges). Anyone holding the draw's record can redo it:

    canonical = JSON of the candidate list, keys sorted, no spaces, UTF-8 (Chinese as is)
    digest    = HMAC-SHA256(key = seed as UTF-8, message = canonical), in hex
    ticket    = int(digest, 16) mod (sum of the candidates' weights)
    index     = the candidate whose run of tickets holds ``ticket``, candidates in list order, each holding as
                many tickets as its "weight" (1 where the snapshot has none)

With every weight 1 this is ``int(digest, 16) mod len(candidates)``. The seed is either given (for example a
number drawn in public) or 32 random bytes in hex. Reducing a 256-bit number modulo a few hundred tickets has no
bias worth speaking of (under 2^-240). No tables, no Django: each app keeps its draws' records."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any


def new_seed() -> str:
    return secrets.token_hex(32)


def canonical_candidates(candidates: list[dict[str, Any]]) -> bytes:
    return json.dumps(candidates, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def draw_digest(seed: str, candidates: list[dict[str, Any]]) -> str:
    return hmac.new(seed.encode(), canonical_candidates(candidates), hashlib.sha256).hexdigest()


def candidate_weight(candidate: dict[str, Any]) -> int:
    weight = candidate.get("weight", 1)
    if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
        raise ValueError(f"a candidate's weight must be a positive whole number, not {weight!r}")
    return weight


def draw_index(digest: str, candidates: list[dict[str, Any]]) -> int:
    if not candidates:
        raise ValueError("a draw needs at least one candidate")
    ticket = int(digest, 16) % sum(candidate_weight(c) for c in candidates)
    for index, candidate in enumerate(candidates):
        ticket -= candidate_weight(candidate)
        if ticket < 0:
            return index
    raise AssertionError("unreachable: the ticket lies within the total weight")
