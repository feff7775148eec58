"""Reading export jobs: a user sees only his own, and only while he may still have what was exported (the kind's
own rule, kinds.py)."""

from __future__ import annotations

import uuid

from smartcourt.accounts.models import User
from smartcourt.core.errors import DomainError, NotFound
from smartcourt.exports.kinds import KINDS
from smartcourt.exports.models import ExportJob

RECENT = 10


def _may_have(user: User, job: ExportJob) -> bool:
    try:
        KINDS[job.kind].target(user, job.case_id, job.subject_id)
    except DomainError:
        return False
    return True


def get_export_for(user: User, case_id: uuid.UUID | str, job_id: uuid.UUID | str) -> ExportJob:
    job = ExportJob.objects.filter(pk=job_id, case_id=case_id, requested_by=user).select_related("case").first()
    # Access withdrawn since (a dossier no longer his to read, a plan no longer his to pay) looks like no export.
    if job is None or not user.is_authenticated or not _may_have(user, job):
        raise NotFound("No such export")
    return job


def recent_exports_for(user: User, case_id: uuid.UUID | str) -> list[ExportJob]:
    """The user's latest exports of the case that he may still have."""
    jobs = ExportJob.objects.filter(case_id=case_id, requested_by=user).order_by("-requested_at")[: RECENT * 2]
    allowed: dict[tuple[str, uuid.UUID | None], bool] = {}
    recent = []
    for job in jobs:
        key = (job.kind, job.subject_id)
        if key not in allowed:
            allowed[key] = _may_have(user, job)
        if allowed[key]:
            recent.append(job)
    return recent[:RECENT]
