"""A case with 10,000 claims stays usable: the table totals, a page of the table and the xlsx export. The
times are printed (reported, never asserted)."""

from __future__ import annotations

import io
import time
import zipfile
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.utils import timezone

from smartcourt.claims.export import claims_table_xlsx
from smartcourt.claims.models import Claim, Creditor
from smartcourt.claims.selectors import claims_table
from smartcourt.claims.tests.test_imports import identity

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

N = 10_000


def test_ten_thousand_claims(personas: Personas, capsys: Any) -> None:
    case = personas.case
    Creditor.objects.bulk_create(
        [
            Creditor(case=case, kind="natural_person", name=f"债权人{i}", identifier=identity(i), source="debtor_list")
            for i in range(N)
        ],
        batch_size=1000,
    )
    creditors = list(Creditor.objects.filter(case=case).order_by("identifier"))
    now = timezone.now()
    Claim.objects.bulk_create(
        [
            Claim(
                case=case,
                creditor=creditor,
                number=i + 1,
                nature="secured" if i % 10 == 0 else "ordinary",
                principal_fen=100_00 + i,
                declared_at=now,
                declared_by=personas.creditor_a,
                status="confirmed",
                confirmed_nature="secured" if i % 10 == 0 else "ordinary",
                confirmed_principal_fen=100_00 + i,
            )
            for i, creditor in enumerate(creditors)
        ],
        batch_size=1000,
    )
    started = time.perf_counter()
    table = claims_table(case)
    totals = time.perf_counter() - started
    assert table.count == N
    assert table.confirmed_fen == sum(100_00 + i for i in range(N))
    assert {item.nature: item.count for item in table.classes}["secured"] == N // 10

    client = Client()
    client.force_login(personas.judge)
    client.get(f"/cases/{case.pk}/claims/table/")  # the first request loads templates and catalogues
    started = time.perf_counter()
    response = client.get(f"/cases/{case.pk}/claims/table/?page=37")
    page = time.perf_counter() - started
    assert response.status_code == 200 and "债权人" in response.content.decode()

    started = time.perf_counter()
    content = claims_table_xlsx(case)
    export = time.perf_counter() - started
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.read("xl/worksheets/sheet1.xml").count(b"<row ") == N + 2 + 1 + 4 + 1
    with capsys.disabled():
        print(  # noqa: T201 - the figures are reported, never asserted
            f"\n10,000 claims: totals {totals * 1000:.0f} ms, table page {page * 1000:.0f} ms, "
            f"xlsx export {export:.2f} s ({len(content) // 1024} KiB)"
        )
