"""The claims table and a ruled plan's payment files are built in the background worker (issue 15.4), through the
same export machinery as the dossier: the request only queues a job and answers at once with the progress page;
the worker builds the file; only the requester downloads it, and only while he may still have it."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import Personas
from smartcourt.claims.actions import ReviewDecision, review_claim
from smartcourt.claims.choices import ClaimNature, CreditorKind
from smartcourt.claims.tests.helpers import declare, open_proceeding
from smartcourt.core.spreadsheets import read_sheet
from smartcourt.distributions.tests.helpers import make_claim, ruled_plan
from smartcourt.exports import kinds, tasks
from smartcourt.exports.choices import ExportStatus
from smartcourt.exports.models import ExportJob
from smartcourt.exports.tasks import run_export_task as worker_task
from smartcourt.testing import EVERYONE, client_as, client_for, unchanged_database

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Who inspects a case's claims (claims.policies.can_inspect_claims): the court, the administrator, a creditor.
INSPECT_CLAIMS = {"judge", "assistant", "clerk", "court_admin", "administrator", "creditor_a"}
ZHANG = "320623198001010011"
FIRM = "91320623000000003C"


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The jobs handed to the worker, instead of the worker."""
    handed: list[str] = []
    monkeypatch.setattr(tasks, "run_export_task", handed.append)
    return handed


def _start(client: Client, case_id: Any, kind: str, subject: Any = None) -> Any:
    data = {"kind": kind} | ({"subject": str(subject)} if subject else {})
    return client.post(reverse("exports:start", args=[case_id]), data)


def _matrix(personas: Personas, call: Any, *, allowed: set[str], forbidden: frozenset[str] = frozenset()) -> None:
    """Every persona and nobody: the ``allowed`` are sent to their new export's progress page; the ``forbidden``
    get 403, everyone else 404 and nobody the sign-in redirect, each refusal changing nothing.
    (smartcourt.testing.permission_matrix counts every 302 as a refusal; here the allowed answer is a 302 too.)"""
    got: dict[str, str | int] = {}
    expected: dict[str, str | int] = {}
    for name in EVERYONE:
        client = client_as(personas, name)
        if name in allowed:
            response = call(client)
            job = ExportJob.objects.filter(requested_by=getattr(personas, name)).get()
            expected[name] = reverse("exports:job", args=[job.case_id, job.pk])
            got[name] = response["Location"]
            continue
        with unchanged_database():
            response = call(client)
        got[name] = response.status_code
        expected[name] = 302 if name == "anonymous" else 403 if name in forbidden else 404
        if name == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login"))
    assert got == expected


def _downloaded(client: Client, job: ExportJob) -> tuple[Any, bytes]:
    response = client.get(reverse("exports:download", args=[job.case_id, job.pk]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_claims_table_request_returns_at_once_and_the_worker_builds_it(
    personas: Personas,
    queued: list[str],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    open_proceeding(personas)
    claim = declare(personas, creditor_name='=HYPERLINK("http://x")')
    review_claim(actor=personas.administrator, claim_id=claim.pk, decision=ReviewDecision(result="confirmed"))
    built: list[str] = []
    real = kinds.claims_table_xlsx

    def recording(*args: Any, **kwargs: Any) -> bytes:
        built.append("xlsx")
        return real(*args, **kwargs)

    monkeypatch.setattr(kinds, "claims_table_xlsx", recording)
    client = client_as(personas, "creditor_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, personas.case.pk, "claims_table_xlsx")
    job = ExportJob.objects.get()
    # The request only queued the job: nothing was built while it ran.
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job", args=[personas.case.pk, job.pk])
    assert built == [] and queued == [str(job.pk)]
    assert (job.status, job.kind, job.progress_done, job.progress_total, bool(job.file)) == (
        ExportStatus.QUEUED,
        "claims_table_xlsx",
        0,
        2,  # one step per 500 claims (one here), one for the workbook
        False,
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 1s"' in page
    assert f'href="{reverse("claims:table", args=[personas.case.pk])}"' in page  # back to the claims table
    assert 'data-testid="export-download"' not in page
    # The worker's side.
    assert worker_task.call_local(str(job.pk)) == "done"
    assert built == ["xlsx"]
    job.refresh_from_db()
    stamp = f"{timezone.localtime(job.requested_at):%Y%m%d}"
    assert (job.progress_done, job.file_name) == (2, f"债权表-{personas.case.number}-{stamp}.xlsx")
    download, data = _downloaded(client, job)
    assert download["Content-Type"] == XLSX
    assert download["Cache-Control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    # The same masking and formula escaping as the page.
    assert "'=HYPERLINK" in sheet and "<f>" not in sheet
    assert "110105********002X" in sheet and "11010519491231002X" not in sheet


def test_who_may_export_the_claims_table(personas: Personas, queued: list[str]) -> None:
    open_proceeding(personas)
    declare(personas)
    _matrix(
        personas,
        lambda client: _start(client, personas.case.pk, "claims_table_xlsx"),
        allowed=INSPECT_CLAIMS,
    )
    assert ExportJob.objects.count() == len(INSPECT_CLAIMS)


def _ruled(personas: Personas) -> Any:
    make_claim(personas, name="张三", identifier=ZHANG, nature=ClaimNature.EMPLOYEE, amount_fen=100_000)
    make_claim(personas, name="甲供应商有限公司", identifier=FIRM, amount_fen=1_000_000, kind=CreditorKind.ORGANISATION)
    return ruled_plan(personas, 400_000)


@pytest.mark.parametrize(("kind", "content_type"), [("payment_file_xlsx", XLSX), ("payment_file_csv", "text/csv")])
def test_payment_files_are_built_by_the_worker(
    personas: Personas, queued: list[str], django_capture_on_commit_callbacks: Any, kind: str, content_type: str
) -> None:
    plan = _ruled(personas)
    client = client_for(personas.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client, personas.case.pk, kind, plan.pk)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and queued == [str(job.pk)]
    assert (job.status, job.subject_id, bool(job.file)) == (ExportStatus.QUEUED, plan.pk, False)
    plan_page = reverse("distributions:plan", args=[plan.pk])
    assert f'href="{plan_page}"' in client.get(response["Location"]).content.decode()
    assert worker_task.call_local(str(job.pk)) == "done"
    job.refresh_from_db()
    extension = kind.rpartition("_")[2]
    assert job.file_name == f"分配付款清单-{personas.case.number}-第{plan.number}版.{extension}"
    download, data = _downloaded(client, job)
    assert download["Content-Type"].startswith(content_type)
    if extension == "xlsx":
        rows = read_sheet(data, "x.xlsx").rows
        assert [r[1:3] + r[6:] for r in rows[1:]] == [["张三", ZHANG, "1000.00"], ["甲供应商有限公司", FIRM, "3000.00"]]
    else:
        assert data.startswith("\ufeff序号".encode())
        assert "甲供应商有限公司" in data.decode("utf-8-sig")


def test_only_the_appointed_administrator_exports_payment_files(personas: Personas, queued: list[str]) -> None:
    plan = _ruled(personas)
    _matrix(
        personas,
        lambda client: _start(client, personas.case.pk, "payment_file_xlsx", plan.pk),
        allowed={"administrator"},
        # The court sees the plan but does not pay it; everyone else does not see the plan at all.
        forbidden=frozenset({"judge", "assistant", "clerk", "court_admin"}),
    )
    assert ExportJob.objects.count() == 1
    # A plan of another case, under this case's address, is not found either.
    with unchanged_database():
        response = _start(
            client_for(personas.administrator), personas.other_court_case.pk, "payment_file_xlsx", plan.pk
        )
    assert response.status_code == 404


def test_an_unruled_plan_has_no_payment_file(personas: Personas, queued: list[str]) -> None:
    from smartcourt.distributions import actions
    from smartcourt.distributions.tests.helpers import plan_input

    draft = actions.create_plan(actor=personas.administrator, case_id=personas.case.pk, plan_input=plan_input(1000))
    with unchanged_database():
        response = _start(client_for(personas.administrator), personas.case.pk, "payment_file_csv", draft.pk)
    assert response.status_code == 404 and queued == []


def test_access_withdrawn_after_the_request_fails_the_job_and_hides_it(
    personas: Personas, queued: list[str], monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from smartcourt.distributions import policies

    plan = _ruled(personas)
    client = client_for(personas.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        _start(client, personas.case.pk, "payment_file_xlsx", plan.pk)
    job = ExportJob.objects.get()
    # The administrator may no longer pay this plan (stands in for an administrator replaced meanwhile).
    monkeypatch.setattr(policies, "can_prepare", lambda user, case: False)
    assert worker_task.call_local(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file
    assert client.get(reverse("exports:job", args=[personas.case.pk, job.pk])).status_code == 404
    assert client.get(reverse("exports:download", args=[personas.case.pk, job.pk])).status_code == 404
