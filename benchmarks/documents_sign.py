"""Documents rendered and signed per second, against pyHanko signing a pre-rendered PDF of the same size.

The platform's path (`generate_document` + `sign_document`: template check, context from the database,
WeasyPrint layout and PDF, dossier filing, seal, PAdES signature, audit events) is timed end to end; the
baseline is pyHanko alone signing the same draft PDF with the same key and stamp, in the same run.

    .venv/bin/python benchmarks/documents_sign.py        # SMARTCOURT_BENCH_DOCUMENTS=20 by default
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import statistics
import time
from typing import TYPE_CHECKING

from _evidence_bench import bench_database, env_int, machine

if TYPE_CHECKING:
    from smartcourt.accounts.models import User
    from smartcourt.cases.models import Case

DOCUMENTS = env_int("SMARTCOURT_BENCH_DOCUMENTS", 20)


def _world() -> tuple[User, Case]:
    from smartcourt.accounts.actions import create_organisation, create_user
    from smartcourt.accounts.choices import OrganisationKind, Role
    from smartcourt.cases.actions import add_party, change_case_status, create_case
    from smartcourt.cases.choices import CaseStatus, CaseType, PartyKind, PartyRole

    court = create_organisation(actor=None, kind=OrganisationKind.COURT, name="如东县人民法院", court_code="苏0623")
    clerk = create_user(
        actor=None,
        username="clerk",
        password=secrets.token_urlsafe(16),
        role=Role.FILING_CLERK,
        full_name="王芳",
        organisation=court,
        check_password_strength=False,
    )
    judge = create_user(
        actor=None,
        username="judge",
        password=secrets.token_urlsafe(16),
        role=Role.JUDGE,
        full_name="张明",
        organisation=court,
        check_password_strength=False,
    )
    case = create_case(
        actor=clerk,
        court=court,
        case_type=CaseType.BANKRUPTCY,
        title="如东某某建设有限公司破产清算案",
        cause="破产清算",
        filed_on=dt.date(2026, 3, 2),
        presiding_judge=judge,
    )
    change_case_status(actor=judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=dt.date(2026, 3, 9))
    add_party(actor=clerk, case=case, role=PartyRole.DEBTOR, kind=PartyKind.ORGANISATION, name="如东某某建设有限公司")
    return judge, case


def main() -> None:
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with bench_database() as database:
        from smartcourt.documents import pades
        from smartcourt.documents.actions import generate_document, sign_document

        judge, case = _world()
        # Warm-up: fonts, the CA, the seal (created on first signature) and template compilation.
        draft_document = generate_document(actor=judge, case_id=case.pk, template_key="acceptance_ruling")
        first = sign_document(actor=judge, document_id=draft_document.pk)
        with first.pdf.open("rb") as handle:
            draft = handle.read()
        seal = first.seal
        assert seal is not None

        x1, y1, x2, y2 = (float(v) for v in first.seal_box["box"])
        platform_times: list[float] = []
        start = time.perf_counter()
        for _ in range(DOCUMENTS):
            t0 = time.perf_counter()
            document = generate_document(actor=judge, case_id=case.pk, template_key="acceptance_ruling")
            sign_document(actor=judge, document_id=document.pk)
            platform_times.append(time.perf_counter() - t0)
        platform_rate = DOCUMENTS / (time.perf_counter() - start)

        baseline_times: list[float] = []
        start = time.perf_counter()
        for _ in range(DOCUMENTS):
            t0 = time.perf_counter()
            pades.sign_pdf(
                draft,
                certificate_pem=seal.certificate_pem,
                key_pem=seal.key_pem,
                image_png=bytes(seal.image_png),
                page=int(first.seal_box["page"]),
                box=(x1, y1, x2, y2),
                reason="bench",
                name=str(seal),
            )
            baseline_times.append(time.perf_counter() - t0)
        baseline_rate = DOCUMENTS / (time.perf_counter() - start)

        print(f"machine: {machine()}; database: {database}")
        print(f"draft PDF size: {len(draft):,} bytes; documents: {DOCUMENTS}")
        print(
            f"platform generate+sign: {platform_rate:.2f} documents/s "
            f"(median {statistics.median(platform_times) * 1000:.0f} ms)"
        )
        print(
            f"pyHanko signing the pre-rendered PDF: {baseline_rate:.2f} signatures/s "
            f"(median {statistics.median(baseline_times) * 1000:.0f} ms)"
        )
        print(f"ratio platform / pyHanko alone: {platform_rate / baseline_rate:.3f}")


if __name__ == "__main__":
    main()
