"""Hostile workbooks sent to the claims import (API, source=debtor_list): refused with the reason in Chinese,
nothing stored, and the process still here to answer (python-calamine never sees them: see core.spreadsheets)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartcourt.claims.tests.helpers import counts, open_proceeding
from smartcourt.claims.tests.test_api import client_for
from smartcourt.claims.tests.test_api_lists import debtor_list, upload_list
from smartcourt.core.tests import hostile_spreadsheets as hostile

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda: hostile.far_cell(declared=True), "工作表声明其单元格延伸到 XFD1048576；最多读取 50002 行、32 列"),
        (
            lambda: hostile.far_cell(declared=False),
            "工作表中有第 1048576 行；最多读取 50002 行（清单下方远处是否有多余的单元格？）",
        ),
        (hostile.sparse_row, "工作表中有第 200000 行；最多读取 50002 行（清单下方远处是否有多余的单元格？）"),
        (hostile.zip_bomb, "（压缩炸弹），已拒绝"),
    ],
    ids=["far-cell-declared", "far-cell", "sparse-row-200000", "zip-bomb"],
)
def test_hostile_creditor_lists_are_refused(personas: Personas, build: Any, reason: str) -> None:
    open_proceeding(personas)
    client = client_for(personas.administrator)  # no language cookie: the platform's own language, Chinese
    before = counts()
    response = upload_list(client, personas.case.pk, "debtor_list", SimpleUploadedFile("债权人清册.xlsx", build()))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_refused" and error["field"] == "file"
    assert error["message"].startswith("债权人清册.xlsx：") and reason in error["message"]
    assert counts() == before
    # The same worker answers the next request: a good list imports.
    assert upload_list(client, personas.case.pk, "debtor_list", debtor_list()).status_code == 201
