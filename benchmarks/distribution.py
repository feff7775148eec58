"""Distribution batch: import, check against the ruled plan and journal N payment lines, against a bare bulk
insert of the same rows in the same run, same database.

    .venv/bin/python benchmarks/distribution.py          # SMARTCOURT_BENCH_LINES=100000 for the issue's size

Set-up (not timed against the baseline, but reported): N creditors with a court-confirmed claim each, a plan
computed from the claims table (statutory order, pro rata in fen), met and ruled; the payment file (csv)
generated from the plan and completed with bank details, as an administrator would.

Timed:
  - upload_batch: read the csv, check every line against the plan (payee, identity, account, bank, amount,
    duplicates, totals) and journal the batch and its N lines with the audit event, in one transaction;
  - the baseline: the same N rows (the batch line columns) into a plain table with one bulk statement —
    SQLite executemany, PostgreSQL COPY — in one transaction;
  - approve_batch (pain.001 for N lines, validated against the ISO 20022 XSD), for reference.
Aim (issue 8): upload_batch at most 3x the bare insert. Default N = 14,673 (the payments made in Nantong).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import time
import uuid

from _evidence_bench import bench_database, env_int, machine


def main() -> None:
    lines = env_int("SMARTCOURT_BENCH_LINES", 14_673)
    with bench_database() as database:
        from django.db import connection, transaction
        from django.utils import timezone

        from smartcourt.accounts.actions import create_organisation, create_user
        from smartcourt.accounts.choices import OrganisationKind, Role
        from smartcourt.cases.actions import add_member, change_case_status, create_case
        from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole
        from smartcourt.claims.choices import ClaimNature, ClaimStatus, CreditorKind, CreditorSource
        from smartcourt.claims.models import Claim, Creditor
        from smartcourt.distributions import actions
        from smartcourt.distributions.export import payment_file_csv

        court = create_organisation(actor=None, kind=OrganisationKind.COURT, name="如东县人民法院", court_code="苏0623")
        firm = create_organisation(actor=None, kind=OrganisationKind.ADMINISTRATOR_FIRM, name="江苏甲律师事务所")
        judge = create_user(
            actor=None,
            username="bench_judge",
            password=secrets.token_urlsafe(),
            role=Role.JUDGE,
            full_name="法官",
            organisation=court,
            check_password_strength=False,
        )
        clerk = create_user(
            actor=None,
            username="bench_clerk",
            password=secrets.token_urlsafe(),
            role=Role.FILING_CLERK,
            full_name="书记员",
            organisation=court,
            check_password_strength=False,
        )
        admin = create_user(
            actor=None,
            username="bench_admin",
            password=secrets.token_urlsafe(),
            role=Role.ADMINISTRATOR,
            full_name="管理人",
            organisation=firm,
            check_password_strength=False,
        )
        case = create_case(
            actor=clerk,
            court=court,
            case_type=CaseType.BANKRUPTCY,
            title="基准测试破产清算案",
            cause="破产清算",
            filed_on=dt.date(2026, 3, 2),
            presiding_judge=judge,
        )
        change_case_status(actor=judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=dt.date(2026, 3, 9))
        add_member(actor=judge, case=case, role=MemberRole.ADMINISTRATOR, organisation=firm)

        started = time.perf_counter()
        now = timezone.now()
        creditors = Creditor.objects.bulk_create(
            [
                Creditor(
                    case=case,
                    kind=CreditorKind.NATURAL_PERSON,
                    name=f"债权人{n:06d}",
                    identifier=f"32{n:016d}",
                    source=CreditorSource.SELF_DECLARED,
                    account=f"6222{n:012d}",
                )
                for n in range(lines)
            ],
            batch_size=2000,
        )
        Claim.objects.bulk_create(
            [
                Claim(
                    case=case,
                    creditor=c,
                    number=n + 1,
                    nature=ClaimNature.EMPLOYEE if n % 10 == 0 else ClaimNature.ORDINARY,
                    principal_fen=100_000 + (n * 7919) % 50_000_000,
                    declared_at=now,
                    declared_by=admin,
                    status=ClaimStatus.COURT_CONFIRMED,
                    confirmed_nature=ClaimNature.EMPLOYEE if n % 10 == 0 else ClaimNature.ORDINARY,
                    confirmed_principal_fen=100_000 + (n * 7919) % 50_000_000,
                )
                for n, c in enumerate(creditors)
            ],
            batch_size=2000,
        )
        seeded = time.perf_counter() - started
        total_claims = sum(100_000 + (n * 7919) % 50_000_000 for n in range(lines))

        started = time.perf_counter()
        plan = actions.create_plan(
            actor=admin,
            case_id=case.pk,
            plan_input=actions.PlanInput(kind="final", available_fen=total_claims * 37 // 100, available_basis="基准"),
        )
        planned = time.perf_counter() - started
        actions.submit_plan(actor=admin, plan_id=plan.pk)
        actions.record_meeting_resolution(
            actor=judge, plan_id=plan.pk, adopted=True, reference="决议", resolved_on=dt.date(2026, 11, 25)
        )
        actions.rule_on_plan(
            actor=judge, plan_id=plan.pk, approved=True, ruling_reference="裁定", ruled_on=dt.date(2026, 11, 27)
        )

        started = time.perf_counter()
        prefilled = payment_file_csv(plan).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(prefilled)))
        for row in rows[1:]:
            row[4], row[5] = "中国银行如东支行", "104306200021"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        content = out.getvalue().encode("utf-8")
        generated = time.perf_counter() - started

        started = time.perf_counter()
        batch, created = actions.upload_batch(
            actor=admin,
            plan_id=plan.pk,
            filename="pay.csv",
            content=content,
            paying_account="32060123000012345",
            paying_bank_name="中国工商银行如东支行",
        )
        uploaded = time.perf_counter() - started
        assert created and batch.status == "checked", (batch.status, batch.file_errors)
        assert batch.line_count == len(rows) - 1

        # The baseline: the same rows, the same columns, one bulk statement, one transaction.
        values = [
            (uuid.uuid4().hex, index + 2, row[1], row[2], row[3], row[4], row[5], row[6], int(row[6].replace(".", "")))
            for index, row in enumerate(rows[1:])
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_plain_line (id varchar(32) PRIMARY KEY, row integer, payee_name varchar(200), "
                "payee_identity varchar(40), account varchar(64), bank_name varchar(140), bank_code varchar(32), "
                "amount_text varchar(40), amount_fen bigint)"
            )
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows(values)
                buffer.seek(0)
                with cursor.cursor.copy("COPY bench_plain_line FROM STDIN (FORMAT csv)") as copy:
                    copy.write(buffer.getvalue())
            else:
                cursor.executemany("INSERT INTO bench_plain_line VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", values)
        baseline = time.perf_counter() - started

        actions.submit_batch(actor=admin, batch_id=batch.pk)
        started = time.perf_counter()
        approved = actions.approve_batch(actor=judge, batch_id=batch.pk)
        approving = time.perf_counter() - started
        size = len(bytes(approved.pain001 or b""))

        print(f"database: {database}; machine: {machine()}")
        print(f"lines: {batch.line_count:,}; total {batch.total_fen / 100:,.2f} yuan; csv {len(content):,} bytes")
        print(f"seed {lines:,} creditors and claims (bulk): {seeded:.2f} s")
        print(f"create_plan from the claims table ({lines:,} lines, statutory order, fen): {planned:.2f} s")
        print(f"payment file generated and completed: {generated:.2f} s")
        print(
            f"upload_batch (read, check against the plan, journal): {uploaded:.2f} s "
            f"({batch.line_count / uploaded:,.0f} lines/s)"
        )
        print(
            f"bare bulk insert of the same rows ({'COPY' if connection.vendor == 'postgresql' else 'executemany'}): "
            f"{baseline:.2f} s"
        )
        print(f"ratio upload_batch / bare insert: {uploaded / baseline:.1f}x (aim: 3x or less)")
        print(f"approve_batch (pain.001 {size:,} bytes, XSD-validated): {approving:.2f} s")


if __name__ == "__main__":
    main()
