"""The background queue as it is configured (issue 18, past one machine): huey on Redis when REDIS_URL is set,
as production and CI's PostgreSQL pass run it, on SQLite otherwise. A job enqueued by one process is run by a
consumer and its result read back; a dossier export, the platform's longest job, is built that way.

The queue here is a fresh, uniquely named instance of the configured class and connection, so other tests'
enqueued work neither disturbs this one nor is consumed by it."""

from __future__ import annotations

import importlib
import os
import signal
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from huey.api import Huey

from conftest import Personas
from smartcourt.dossier.tests.helpers import fill_dossier
from smartcourt.exports.actions import request_export, run_export
from smartcourt.exports.models import ExportJob


def _configured_queue() -> Huey:
    module, _, name = str(settings.HUEY["huey_class"]).rpartition(".")
    queue_class = getattr(importlib.import_module(module), name)
    options: dict[str, Any] = {"name": f"test-{uuid.uuid4().hex}", "results": True}
    if "url" in settings.HUEY:
        options["url"] = settings.HUEY["url"]
    else:
        options["filename"] = settings.HUEY["filename"]
    queue: Huey = queue_class(**options)
    return queue


@pytest.fixture
def queue() -> Iterator[Huey]:
    queue = _configured_queue()
    yield queue
    queue.flush()


def test_the_configured_class_follows_redis_url() -> None:
    if os.environ.get("REDIS_URL"):
        assert settings.HUEY["huey_class"] == "huey.RedisHuey"
        assert settings.HUEY["url"] == os.environ["REDIS_URL"]
    else:
        assert settings.HUEY["huey_class"] == "huey.SqliteHuey"


@pytest.mark.django_db(transaction=True)
def test_an_export_enqueued_is_built_by_a_consumer(personas: Personas, queue: Huey) -> None:
    @queue.task()
    def build(job_id: str) -> str:
        job = run_export(job_id=job_id)
        assert job is not None
        return str(job.status)

    fill_dossier(personas)
    job = request_export(actor=personas.judge, case_id=personas.case.pk, kind="dossier_zip", verify_url="/v/")
    result = build(str(job.pk))
    assert queue.pending_count() == 1
    consumer = queue.create_consumer(workers=1, worker_type="thread", periodic=False, check_worker_health=False)
    # start() runs the worker threads and returns; it installs the consumer's signal handlers, which are put back.
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer.start()
    try:
        assert result.get(blocking=True, timeout=120) == "done"
    finally:
        consumer.stop(graceful=True)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    job.refresh_from_db()
    assert job.status == "done"
    assert queue.pending_count() == 0
    assert ExportJob.objects.filter(pk=job.pk, status="done").exists()
