"""Hostile workbooks uploaded as a payment file: refused on the upload page with the reason in Chinese, no
batch stored, and the process still here to answer (python-calamine never sees them: see core.spreadsheets)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import Personas
from smartcourt.core.tests import hostile_spreadsheets as hostile
from smartcourt.distributions.models import PaymentBatch
from smartcourt.testing import client_for

from .helpers import PAYING_ACCOUNT, PAYING_BANK, counts, csv_file, ruled_plan
from .test_pages import GOOD, _claims

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda: hostile.far_cell(declared=True), "工作表声明其单元格延伸到 XFD1048576；最多读取 200101 行、32 列"),
        (
            lambda: hostile.far_cell(declared=False),
            "工作表中有第 1048576 行；最多读取 200101 行（清单下方远处是否有多余的单元格？）",
        ),
        (hostile.sparse_row, "工作表延伸到第 200000 行，但其中 199998 行为空：请删除清单下方多余的单元格"),
        (hostile.zip_bomb, "（压缩炸弹），已拒绝"),
    ],
    ids=["far-cell-declared", "far-cell", "sparse-row-200000", "zip-bomb"],
)
def test_hostile_payment_files_are_refused(personas: Personas, build: Any, reason: str) -> None:
    _claims(personas)
    plan = ruled_plan(personas, 400_000)
    admin = client_for(personas.administrator)
    url = f"/distributions/plans/{plan.pk}/upload/"
    fields = {"paying_account": PAYING_ACCOUNT, "paying_bank_name": PAYING_BANK}
    before = counts()
    response = admin.post(url, {"file": SimpleUploadedFile("付款清单.xlsx", build()), **fields})
    assert response.status_code == 422
    page = response.content.decode()
    assert "付款清单.xlsx" in page and reason in page
    assert counts() == before
    # The same worker answers the next request: a good file makes its batch.
    good = SimpleUploadedFile("pay.csv", csv_file(GOOD), content_type="text/csv")
    assert admin.post(url, {"file": good, **fields}).status_code == 302
    assert PaymentBatch.objects.count() == 1
