"""Payment requests through the JSON API, in-process (Django's test client), each executed by the sandbox bank
(its own process, signed and encrypted requests) and filed into the dossier: throughput and p99 latency against
a bare one-query endpoint of the same server in the same run, and with every request on one hot account against
requests spread over many accounts.

    .venv/bin/python benchmarks/funds_payments.py     # SMARTCOURT_BENCH_PAYMENTS=100, _ACCOUNTS=10
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("SMARTCOURT_HUEY_IMMEDIATE", "1")  # the send runs in the request's wake, as one path

from _evidence_bench import bench_database, env_int, machine

PAYMENTS = env_int("SMARTCOURT_BENCH_PAYMENTS", 100)
ACCOUNTS = env_int("SMARTCOURT_BENCH_ACCOUNTS", 10)
BASELINE = env_int("SMARTCOURT_BENCH_BASELINE_REQUESTS", 300)


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def main() -> None:
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    logging.getLogger("smartcourt").setLevel(logging.WARNING)
    scratch = Path(tempfile.mkdtemp(prefix="smartcourt-funds-bench-"))
    with bench_database() as database:
        from django.conf import settings
        from django.test import Client

        from smartcourt.accounts.actions import create_organisation, create_user
        from smartcourt.accounts.choices import OrganisationKind, Role
        from smartcourt.banking.testing import Bank, start_bank, stop_bank
        from smartcourt.cases.actions import add_member, change_case_status, create_case
        from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole
        from smartcourt.funds.actions import LimitsInput, open_account

        server = start_bank(scratch / "bank")
        settings.BANK_URL, settings.BANK_KEYS_DIR, settings.BANK_PARTNERS = server.url, server.keys_dir, {}
        settings.ALLOWED_HOSTS = ["testserver"]
        settings.TWO_FACTOR_REQUIRED = False  # the second factor is not what is measured
        try:
            court = create_organisation(
                actor=None, kind=OrganisationKind.COURT, name="如东县人民法院", court_code="苏0623"
            )
            firm = create_organisation(
                actor=None, kind=OrganisationKind.ADMINISTRATOR_FIRM, name="江苏通达律师事务所", credit_code=""
            )
            people = {
                role: create_user(
                    actor=None,
                    username=role,
                    password=secrets.token_urlsafe(16),
                    role=role,
                    full_name=name,
                    organisation=org,
                    check_password_strength=False,
                )
                for role, name, org in [
                    (Role.JUDGE, "张明", court),
                    (Role.FILING_CLERK, "王芳", court),
                    (Role.ADMINISTRATOR, "陈立", firm),
                ]
            }
            judge, clerk, admin = people[Role.JUDGE], people[Role.FILING_CLERK], people[Role.ADMINISTRATOR]
            cases = []
            for n in range(ACCOUNTS):
                case = create_case(
                    actor=clerk,
                    court=court,
                    case_type=CaseType.BANKRUPTCY,
                    title=f"基准测试第{n + 1}号破产清算案",
                    cause="破产清算",
                    filed_on=dt.date(2026, 3, 2),
                    presiding_judge=judge,
                )
                change_case_status(actor=judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=dt.date(2026, 3, 9))
                add_member(actor=judge, case=case, role=MemberRole.ADMINISTRATOR, organisation=firm)
                account = open_account(
                    actor=judge,
                    case_id=case.pk,
                    bank_partner="sandbox",
                    bank_name="中国工商银行如东支行（沙盒）",
                    account_name=f"基准测试第{n + 1}号管理人",
                    holder_id="91320600MA1BENCH01",
                    limits=LimitsInput(per_transaction="1000000.00", daily="100000000.00", cumulative="100000000.00"),
                    reason="基准测试",
                )
                Bank(server).credit(account.account_number, 10_000_000_00, counterparty_name="拍卖中心")
                cases.append(case)
            client = Client()
            client.force_login(admin)

            def pay(case_id: Any, n: int) -> float:
                body = {
                    "payee_name": "南通某某评估有限公司",
                    "payee_account": "6217001234567890",
                    "payee_bank": "中国银行南通分行",
                    "amount": "100.00",
                    "purpose": "bankruptcy_expense",
                    "description": f"评估费第{n}笔",
                }
                t0 = time.perf_counter()
                answer = client.post(
                    f"/api/v1/funds/cases/{case_id}/payments", json.dumps(body), content_type="application/json"
                )
                assert answer.status_code == 201, answer.content
                assert answer.json()["status"] == "executed", answer.json()["status"]
                return time.perf_counter() - t0

            # Warm-up (templates, fonts, the seal, connections), not measured.
            for n in range(3):
                client.get(f"/api/v1/funds/cases/{cases[0].pk}/payments")
                pay(cases[n % ACCOUNTS].pk, -n)
            baseline: list[float] = []
            for _ in range(BASELINE):
                t0 = time.perf_counter()
                assert client.get(f"/api/v1/funds/cases/{cases[0].pk}/payments").status_code == 200
                baseline.append(time.perf_counter() - t0)
            hot = [pay(cases[0].pk, n) for n in range(PAYMENTS)]
            spread = [pay(cases[n % ACCOUNTS].pk, n) for n in range(PAYMENTS)]
        finally:
            stop_bank(server.process)

    print(f"machine: {machine()}; database: {database}")
    for name, samples in [("bare list endpoint", baseline), ("payments, one hot account", hot),
                          (f"payments over {ACCOUNTS} accounts", spread)]:  # fmt: skip
        rate = len(samples) / sum(samples)
        print(f"{name}: {rate:.1f}/s, mean {statistics.mean(samples) * 1000:.1f} ms, p99 {_p99(samples) * 1000:.1f} ms")
    base_rate = len(baseline) / sum(baseline)
    print(f"ratio payments (hot account) / bare endpoint, throughput: {len(hot) / sum(hot) / base_rate:.3f}")
    print(f"ratio hot account / spread accounts, throughput: {(len(hot) / sum(hot)) / (len(spread) / sum(spread)):.3f}")


if __name__ == "__main__":
    main()
