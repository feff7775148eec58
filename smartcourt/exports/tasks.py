"""The background side of exports."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from smartcourt.exports.actions import run_export


@db_task(retries=1, retry_delay=30)
def run_export_task(job_id: str) -> str | None:
    """Build one export; a duplicate or late delivery of the task finds the job finished and does nothing."""
    job = run_export(job_id=job_id)
    return job.status if job is not None else None
