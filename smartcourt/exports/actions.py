"""Writes of export jobs, the same for every kind (kinds.py): asking for an export (answered at once) and building
it (in the background worker)."""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.core.errors import Conflict, DomainError
from smartcourt.core.lengths import check_length, fit
from smartcourt.exports.choices import EXPORT_TRANSITIONS, UNFINISHED, ExportStatus
from smartcourt.exports.kinds import KINDS, JobSpec, as_file
from smartcourt.exports.models import ExportJob

logger = logging.getLogger("smartcourt.exports")

# One person cannot fill the worker: a few exports of his at a time, the next once one is done.
MAX_UNFINISHED_PER_USER = 3


def _transition(job: ExportJob, to: str) -> None:
    if to not in EXPORT_TRANSITIONS[job.status]:
        raise Conflict(f"an export that is {job.status} cannot become {to}")
    job.status = to


@transaction.atomic
def request_export(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    kind: str,
    verify_url: str = "",
    subject_id: uuid.UUID | str | None = None,
) -> ExportJob:
    """Queue an export of ``kind`` (of the case, or of its record ``subject_id``); the worker builds it. Returns
    at once. ``verify_url`` is the public verify page a dossier export's receipts print."""
    if kind not in KINDS:
        raise DomainError(_("No such export"), field="kind")
    target = KINDS[kind].target(actor, case_id, subject_id)  # NotFound / PermissionDenied: not his to have
    # The actor's row is locked so that two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True).get()
    unfinished = ExportJob.objects.filter(requested_by=actor, status__in=UNFINISHED).count()
    if unfinished >= MAX_UNFINISHED_PER_USER:
        raise Conflict(
            _("You already have %(count)d exports being built; ask again when one is ready.") % {"count": unfinished}
        )
    # The address printed on the export for checking it: cut, it would lead nowhere.
    verify_url = check_length(ExportJob, "verify_url", verify_url, label=_("The verification address"))
    job = ExportJob.objects.create(
        case=target.case,
        kind=kind,
        subject_id=subject_id,
        requested_by=actor,
        requested_at=timezone.now(),
        verify_url=verify_url,
        progress_total=target.steps,
    )
    after = {"kind": kind} | ({"subject_id": str(subject_id)} if subject_id else {})
    record_event(actor=actor, action="exports.requested", case_id=target.case.pk, obj=job, after=after)
    job_id = str(job.pk)
    transaction.on_commit(lambda: _queue(job_id))
    return job


def _queue(job_id: str) -> None:
    from smartcourt.exports.tasks import run_export_task

    run_export_task(job_id)


def _advance(job_id: uuid.UUID) -> None:
    """One more step done: a counter for the progress bar, outside any transaction of the build."""
    from django.db.models import F

    ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(progress_done=F("progress_done") + 1)


@transaction.atomic
def _start(job_id: uuid.UUID | str) -> ExportJob | None:
    job = ExportJob.objects.select_for_update().get(pk=job_id)
    if job.status not in UNFINISHED:
        return None  # done or failed already: a duplicate delivery of the task does nothing
    _transition(job, ExportStatus.RUNNING)
    job.started_at = timezone.now()
    job.progress_done = 0
    job.save(update_fields=["status", "started_at", "progress_done"])
    return job


@transaction.atomic
def _finish(job_id: uuid.UUID, *, name: str, content: File[bytes], sha256: str, size: int) -> ExportJob:
    job = ExportJob.objects.select_for_update().get(pk=job_id)
    _transition(job, ExportStatus.DONE)
    job.file.save(f"{job.pk}.{name.rpartition('.')[2]}", content, save=False)
    job.file_name = name
    job.sha256 = sha256
    job.size = size
    job.finished_at = timezone.now()
    job.progress_done = job.progress_total
    job.save()
    record_event(
        actor=job.requested_by,
        action="exports.completed",
        case_id=job.case_id,
        obj=job,
        after={"kind": job.kind, "sha256": sha256, "size": size},
    )
    return job


@transaction.atomic
def _fail(job_id: uuid.UUID, error: str) -> ExportJob:
    job = ExportJob.objects.select_for_update().get(pk=job_id)
    _transition(job, ExportStatus.FAILED)
    job.error = fit(ExportJob, "error", error)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    record_event(actor=job.requested_by, action="exports.failed", case_id=job.case_id, obj=job, after={"error": error})
    return job


def spec_of(job: ExportJob) -> JobSpec:
    return JobSpec(
        case_id=job.case_id,
        subject_id=job.subject_id,
        requested_by=job.requested_by,
        requested_at=job.requested_at,
        verify_url=job.verify_url,
    )


def run_export(*, job_id: uuid.UUID | str) -> ExportJob | None:
    """Build the export of a queued job (the worker's side). The requester's right to have it is checked again
    now: access withdrawn meanwhile fails the job."""
    job = _start(job_id)
    if job is None:
        return None
    try:
        kind = KINDS[job.kind]
        target = kind.target(job.requested_by, job.case_id, job.subject_id)
        spec = spec_of(job)
        content = as_file(kind.build(spec, target, lambda: _advance(job.pk)))
        digest, size = hashlib.sha256(), 0
        for chunk in iter(lambda: content.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
        content.seek(0)
        return _finish(
            job.pk, name=kind.name(spec, target), content=File(content), sha256=digest.hexdigest(), size=size
        )
    except Exception as exc:
        logger.exception("export %s failed", job.pk)
        message = (
            exc.message
            if isinstance(exc, DomainError)
            else _("the export could not be built (%(error)s)") % {"error": type(exc).__name__}
        )
        return _fail(job.pk, str(message))
