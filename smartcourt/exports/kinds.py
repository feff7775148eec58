"""What can be exported, each kind declared once: who may have it, how many steps it takes, how the background
worker builds it, its file name and type, and the page it is asked from.

The machinery is the same for every kind (actions.py: the job row, the queue, the progress counter, the audit
events; views.py: the progress page and the download). Who may have an export is asked three times, through the
same ``target`` function: when it is asked for, when the worker builds it (access withdrawn meanwhile fails the
job) and when it is shown or downloaded. A refusal is the domain's own NotFound or PermissionDenied.

Issue 15.4: everything whose size grows with a case (its dossier, its claims table, a plan's payment file) is
built here, never in a request thread. Two spreadsheets stay in the request on purpose: the payment file
template (two fixed rows) and an analytics panel's xlsx (one summary table, read from the precomputed
summary rows of analytics, bounded by the number of courts and case types, not by a case's size)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcourt.accounts.models import User
from smartcourt.cases.models import Case
from smartcourt.cases.selectors import get_case_for
from smartcourt.claims.export import claims_table_xlsx
from smartcourt.claims.policies import can_inspect_claims
from smartcourt.claims.selectors import table_rows
from smartcourt.core.errors import NotFound, PermissionDenied
from smartcourt.distributions import policies as distribution_policies
from smartcourt.distributions.choices import PlanStatus
from smartcourt.distributions.export import payment_file_csv, payment_file_xlsx
from smartcourt.distributions.models import DistributionPlan
from smartcourt.distributions.selectors import get_plan_for
from smartcourt.dossier.selectors import dossier_for
from smartcourt.exports import builder
from smartcourt.exports.choices import ExportKind

Step = Callable[[], None]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The claims table's progress advances once per this many rows: a counter update per row would cost more than
# the row.
CLAIMS_PER_STEP = 500


@dataclass(frozen=True)
class Target:
    """What a kind exports for one user: the case it belongs to and the steps of the progress bar."""

    case: Case
    steps: int


@dataclass(frozen=True)
class JobSpec:
    """The few fields of a job a kind needs (the job row itself, or the request that will make one)."""

    case_id: uuid.UUID
    subject_id: uuid.UUID | None
    requested_by: User
    requested_at: dt.datetime
    verify_url: str


@dataclass(frozen=True)
class Kind:
    content_type: str
    # (user, case id, subject id) -> Target; raises NotFound / PermissionDenied when the user may not have it.
    target: Callable[[User, uuid.UUID | str, uuid.UUID | str | None], Target]
    # (job, target, step) -> the file, as bytes or an open binary file.
    build: Callable[[JobSpec, Target, Step], bytes | IO[bytes]]
    # (job, target) -> the name the download is offered under.
    name: Callable[[JobSpec, Target], str]
    # (case id, subject id) -> the page the export is asked from (refusals are shown there; the breadcrumb).
    back: Callable[[uuid.UUID | str, uuid.UUID | str | None], str]
    back_label: Promise  # the page's name, in the user's language when shown
    # The dossier exports are certified (court-signed certificate, receipts): the page points to the verify page.
    certified: bool = False


def _stamp(job: JobSpec) -> str:
    return timezone.localtime(job.requested_at).strftime("%Y%m%d")


# --- the dossier (ADR 0008) --------------------------------------------------------------------------------


def _dossier_target(user: User, case_id: uuid.UUID | str, subject_id: uuid.UUID | str | None) -> Target:
    dossier = dossier_for(user, case_id)  # NotFound when the user may not read the dossier
    # Steps: a receipt per entry, then each entry laid out (PDF) or copied (zip), then signing.
    return Target(case=dossier.case, steps=2 * dossier.entries.count() + 1)


def _dossier_pdf(job: JobSpec, target: Target, step: Step) -> bytes:
    dossier = dossier_for(job.requested_by, job.case_id)
    return builder.build_certified_pdf(
        dossier, actor=job.requested_by, verify_url=job.verify_url, generated_at=timezone.now(), step=step
    )


def _dossier_zip(job: JobSpec, target: Target, step: Step) -> IO[bytes]:
    dossier = dossier_for(job.requested_by, job.case_id)
    return builder.build_certified_zip(
        dossier, actor=job.requested_by, verify_url=job.verify_url, generated_at=timezone.now(), step=step
    )


def _dossier_back(case_id: uuid.UUID | str, subject_id: uuid.UUID | str | None) -> str:
    return reverse("dossier:catalogue", args=[case_id])


# --- the claims table (债权表) -----------------------------------------------------------------------------


def _claims_target(user: User, case_id: uuid.UUID | str, subject_id: uuid.UUID | str | None) -> Target:
    case = get_case_for(user, case_id)
    if not can_inspect_claims(user, case):
        raise NotFound(_("No such case"))
    return Target(case=case, steps=-(-table_rows(case).count() // CLAIMS_PER_STEP) + 1)


def _claims_xlsx(job: JobSpec, target: Target, step: Step) -> bytes:
    return claims_table_xlsx(target.case, step=step, rows_per_step=CLAIMS_PER_STEP)


def _claims_back(case_id: uuid.UUID | str, subject_id: uuid.UUID | str | None) -> str:
    return reverse("claims:table", args=[case_id])


# --- a ruled distribution plan's payment file ---------------------------------------------------------------


def _plan_target(user: User, case_id: uuid.UUID | str, subject_id: uuid.UUID | str | None) -> Target:
    if subject_id is None:
        raise NotFound(_("No such distribution plan"))
    plan = get_plan_for(user, subject_id, case_id=case_id)
    if not distribution_policies.can_prepare(user, plan.case):
        raise PermissionDenied(_("Only the administrator appointed on this case downloads payment files"))
    if plan.status != PlanStatus.RULED:
        raise NotFound(_("Only a plan approved by the court's ruling can be paid"))
    return Target(case=plan.case, steps=1)


def _plan_of(job: JobSpec) -> DistributionPlan:
    # The target check before every build already fetched the plan through get_plan_for; here only its rows.
    if job.subject_id is None:
        raise NotFound(_("No such distribution plan"))
    return DistributionPlan.objects.select_related("case").get(pk=job.subject_id)


def _payment_xlsx(job: JobSpec, target: Target, step: Step) -> bytes:
    return payment_file_xlsx(_plan_of(job))


def _payment_csv(job: JobSpec, target: Target, step: Step) -> bytes:
    return payment_file_csv(_plan_of(job))


def _payment_name(extension: str) -> Callable[[JobSpec, Target], str]:
    def name(job: JobSpec, target: Target) -> str:
        return f"分配付款清单-{target.case.number}-第{_plan_of(job).number}版.{extension}"

    return name


def _plan_back(case_id: uuid.UUID | str, subject_id: uuid.UUID | str | None) -> str:
    return reverse("distributions:plan", args=[subject_id]) if subject_id else reverse("cases:detail", args=[case_id])


KINDS: dict[str, Kind] = {
    ExportKind.DOSSIER_PDF: Kind(
        content_type="application/pdf",
        target=_dossier_target,
        build=_dossier_pdf,
        name=lambda job, target: f"{target.case.number}-卷宗-{_stamp(job)}.pdf",
        back=_dossier_back,
        back_label=gettext_lazy("Dossier"),
        certified=True,
    ),
    ExportKind.DOSSIER_ZIP: Kind(
        content_type="application/zip",
        target=_dossier_target,
        build=_dossier_zip,
        name=lambda job, target: f"{target.case.number}-卷宗-{_stamp(job)}.zip",
        back=_dossier_back,
        back_label=gettext_lazy("Dossier"),
        certified=True,
    ),
    ExportKind.CLAIMS_TABLE_XLSX: Kind(
        content_type=XLSX,
        target=_claims_target,
        build=_claims_xlsx,
        name=lambda job, target: f"债权表-{target.case.number}-{_stamp(job)}.xlsx",
        back=_claims_back,
        back_label=gettext_lazy("Claims table"),
    ),
    ExportKind.PAYMENT_FILE_XLSX: Kind(
        content_type=XLSX,
        target=_plan_target,
        build=_payment_xlsx,
        name=_payment_name("xlsx"),
        back=_plan_back,
        back_label=gettext_lazy("Distribution plan"),
    ),
    ExportKind.PAYMENT_FILE_CSV: Kind(
        content_type="text/csv; charset=utf-8",
        target=_plan_target,
        build=_payment_csv,
        name=_payment_name("csv"),
        back=_plan_back,
        back_label=gettext_lazy("Distribution plan"),
    ),
}


def as_file(content: bytes | IO[bytes]) -> IO[bytes]:
    """What a kind built, as a binary file read from its start."""
    if isinstance(content, bytes):
        return io.BytesIO(content)
    content.seek(0)
    return content
