"""Files in S3-compatible object storage (issue 18, past one machine): the settings production uses
(``storages.backends.s3.S3Storage``), against a real S3 server started for this module (moto's server mode).

Besides this module, CI's PostgreSQL pass runs the whole suite with every test's files in such a server
(SMARTCOURT_TEST_OBJECT_STORE=1, smartcourt/testing.py)."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Personas
from smartcourt.dossier.tests.helpers import fill_dossier
from smartcourt.testing import TEST_BUCKET, client_for, s3_client, s3_server, s3_storage


@pytest.fixture(scope="module")
def s3(tmp_path_factory: Any) -> Iterator[str]:
    with s3_server(tmp_path_factory.mktemp("s3")) as url:
        yield url


def test_dossier_files_live_in_the_object_store_and_read_back_whole(
    personas: Personas, s3: str, settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3, "dossier-test")}
    entries = fill_dossier(personas)
    listed = s3_client(s3).list_objects_v2(Bucket=TEST_BUCKET, Prefix="dossier-test/")
    keys = {item["Key"] for item in listed.get("Contents", [])}
    stored = {entries[name].file.name for name in ("ruling", "photo", "text")}
    assert {f"dossier-test/{name}" for name in stored} == keys
    assert list(tmp_path.iterdir()) == []  # nothing on the local disk
    ruling = entries["ruling"]
    response = client_for(personas.judge).get(f"/cases/{personas.case.pk}/dossier/{ruling.number}/file")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == ruling.file_sha256
    # Objects are private: the bucket's own URL without a signature refuses.
    key = urllib.parse.quote(f"dossier-test/{ruling.file.name}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3}/{TEST_BUCKET}/{key}", timeout=5)  # noqa: S310 - the test server
    assert refused.value.code == 403
