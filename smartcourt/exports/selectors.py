"""Reading export jobs: a user sees only his own, and only while he may read the case's dossier."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from smartcourt.accounts.models import User
from smartcourt.core.errors import NotFound
from smartcourt.dossier.selectors import dossier_for
from smartcourt.exports.models import ExportJob

RECENT = 10


def get_export_for(user: User, case_id: uuid.UUID | str, job_id: uuid.UUID | str) -> ExportJob:
    dossier_for(user, case_id)  # NotFound when the user may not read the dossier (any more)
    job = ExportJob.objects.filter(pk=job_id, case_id=case_id, requested_by=user).select_related("case").first()
    if job is None:
        raise NotFound("No such export")
    return job


def recent_exports_for(user: User, case_id: uuid.UUID | str) -> QuerySet[ExportJob]:
    dossier_for(user, case_id)
    return ExportJob.objects.filter(case_id=case_id, requested_by=user).order_by("-requested_at")[:RECENT]
