"""Writes of export jobs: asking for an export (answered at once) and building it (in the background worker)."""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts.models import User
from smartcourt.audit.actions import record_event
from smartcourt.core.errors import Conflict, DomainError
from smartcourt.core.lengths import check_length, fit
from smartcourt.dossier.selectors import dossier_for
from smartcourt.exports.choices import EXPORT_TRANSITIONS, UNFINISHED, ExportKind, ExportStatus
from smartcourt.exports.models import ExportJob

logger = logging.getLogger("smartcourt.exports")

# One person cannot fill the worker: a few exports of his at a time, the next once one is done.
MAX_UNFINISHED_PER_USER = 3


def _transition(job: ExportJob, to: str) -> None:
    if to not in EXPORT_TRANSITIONS[job.status]:
        raise Conflict(f"an export that is {job.status} cannot become {to}")
    job.status = to


@transaction.atomic
def request_export(*, actor: User, case_id: uuid.UUID | str, kind: str, verify_url: str) -> ExportJob:
    """Queue an export of the dossier of ``case_id``; the worker builds it. Returns at once."""
    if kind not in ExportKind.values:
        raise DomainError(f"unknown export kind {kind!r}", field="kind")
    dossier = dossier_for(actor, case_id)  # NotFound when the actor may not read the dossier
    # The actor's row is locked so that two requests at once cannot both pass the limit.
    User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True).get()
    unfinished = ExportJob.objects.filter(requested_by=actor, status__in=UNFINISHED).count()
    if unfinished >= MAX_UNFINISHED_PER_USER:
        raise Conflict(
            _("You already have %(count)d exports being built; ask again when one is ready.") % {"count": unfinished}
        )
    entries = dossier.entries.count()
    # The address printed on the export for checking it: cut, it would lead nowhere.
    verify_url = check_length(ExportJob, "verify_url", verify_url, label=_("The verification address"))
    job = ExportJob.objects.create(
        case=dossier.case,
        kind=kind,
        requested_by=actor,
        requested_at=timezone.now(),
        verify_url=verify_url,
        # Steps: a receipt per entry, then each entry laid out (PDF) or copied (zip), then signing.
        progress_total=2 * entries + 1,
    )
    record_event(actor=actor, action="exports.requested", case_id=dossier.case.pk, obj=job, after={"kind": kind})
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


def export_name(job: ExportJob) -> str:
    stamp = timezone.localtime(job.requested_at).strftime("%Y%m%d")
    extension = "pdf" if job.kind == ExportKind.DOSSIER_PDF else "zip"
    return f"{job.case.number}-卷宗-{stamp}.{extension}"


def run_export(*, job_id: uuid.UUID | str) -> ExportJob | None:
    """Build the export of a queued job (the worker's side). The requester's right to read the dossier is
    checked again now: access withdrawn meanwhile fails the job."""
    from smartcourt.exports.builder import build_certified_pdf, build_certified_zip

    job = _start(job_id)
    if job is None:
        return None
    try:
        dossier = dossier_for(job.requested_by, job.case_id)
        step = lambda: _advance(job.pk)  # noqa: E731 - a counter handed to the builder
        generated_at = timezone.now()
        if job.kind == ExportKind.DOSSIER_PDF:
            data = build_certified_pdf(
                dossier, actor=job.requested_by, verify_url=job.verify_url, generated_at=generated_at, step=step
            )
            return _finish(
                job.pk,
                name=export_name(job),
                content=ContentFile(data),
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
            )
        spool = build_certified_zip(
            dossier, actor=job.requested_by, verify_url=job.verify_url, generated_at=generated_at, step=step
        )
        digest, size = hashlib.sha256(), 0
        for chunk in iter(lambda: spool.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
        spool.seek(0)
        return _finish(job.pk, name=export_name(job), content=File(spool), sha256=digest.hexdigest(), size=size)
    except Exception as exc:
        logger.exception("export %s failed", job.pk)
        message = (
            exc.message
            if isinstance(exc, DomainError)
            else _("the export could not be built (%(error)s)") % {"error": type(exc).__name__}
        )
        return _fail(job.pk, str(message))
