"""The reproducible random draw of an administrator, and its verification.

Anyone holding the audit event of an appointment can redo the draw:

    canonical = JSON of the candidate list, keys sorted, no spaces, UTF-8 (Chinese as is)
    digest    = HMAC-SHA256(key = seed as UTF-8, message = canonical), in hex
    ticket    = int(digest, 16) mod (sum of the candidates' weights)
    index     = the candidate whose run of tickets holds ``ticket``, candidates in list order, each holding as
                many tickets as its "weight" (1 where the snapshot has none, as in every draw before weights)

With every weight 1 this is ``int(digest, 16) mod len(candidates)``. The seed is either given (for example a
number drawn in public) or 32 random bytes in hex. Reducing a 256-bit number modulo a few hundred tickets has no
bias worth speaking of (under 2^-240).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smartcourt.administrators.choices import AppointmentMethod
from smartcourt.administrators.models import Appointment
from smartcourt.audit.models import AuditEvent

# The draw itself is the platform's (core.draws), shared with the assignment of judges to filed cases.
from smartcourt.core.draws import (
    candidate_weight,
    canonical_candidates,
    draw_digest,
    draw_index,
    new_seed,
)

__all__ = [
    "APPOINTED_EVENT",
    "DrawCheck",
    "candidate_weight",
    "canonical_candidates",
    "draw_digest",
    "draw_index",
    "new_seed",
    "verify_draw",
]

APPOINTED_EVENT = "administrators.appointed"


@dataclass(frozen=True)
class DrawCheck:
    """The result of re-doing an appointment's draw from its record and its audit event."""

    method: str
    recomputed_digest: str = ""
    recomputed_index: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_draw(appointment: Appointment) -> DrawCheck:
    """Recompute the draw (or the rotation pick) and compare it with the stored row and its audit event.

    An edited seed, candidate list, digest or index, or a row that no longer matches what was logged when
    the appointment was made, is reported as a problem."""
    problems: list[str] = []
    candidates = list(appointment.candidates or [])
    event = AuditEvent.objects.filter(action=APPOINTED_EVENT, object_id=str(appointment.pk)).order_by("seq").first()
    if event is None:
        problems.append("the appointment's audit event is missing")
    else:
        logged = event.after or {}
        recorded = {
            "method": appointment.method,
            "firm_id": str(appointment.firm_id),
            "seed": appointment.seed,
            "candidates": candidates,
            "digest": appointment.digest,
            "drawn_index": appointment.drawn_index,
        }
        for key, value in recorded.items():
            if logged.get(key) != value:
                problems.append(f"{key} differs from the audit event #{event.seq}")

    if appointment.method == AppointmentMethod.JUDGE_CHOICE:
        return DrawCheck(method=appointment.method, problems=problems)

    chosen = appointment.drawn_index
    if appointment.method == AppointmentMethod.ROTATION:
        recomputed_digest, recomputed_index = "", 0
    else:
        if not candidates:
            return DrawCheck(method=appointment.method, problems=[*problems, "the candidate list is empty"])
        recomputed_digest = draw_digest(appointment.seed, candidates)
        try:
            recomputed_index = draw_index(recomputed_digest, candidates)
        except ValueError as exc:
            return DrawCheck(method=appointment.method, problems=[*problems, str(exc)])
        if recomputed_digest != appointment.digest:
            problems.append("the seed and candidates do not give the recorded digest")
    if recomputed_index != chosen:
        problems.append(f"the draw gives index {recomputed_index}, the record says {chosen}")
    if not 0 <= recomputed_index < len(candidates):
        problems.append("the index is outside the candidate list")
    elif candidates[recomputed_index].get("firm_id") != str(appointment.firm_id):
        problems.append("the firm appointed is not the candidate the draw gives")
    return DrawCheck(
        method=appointment.method,
        recomputed_digest=recomputed_digest,
        recomputed_index=recomputed_index,
        problems=problems,
    )
