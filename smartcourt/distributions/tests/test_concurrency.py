"""The same payment file sent twice at the same moment, in real threads on committed transactions, makes one
batch; two different files at once leave one live batch; two judges approving at once make one approval."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.db import close_old_connections

from smartcourt.core.errors import Conflict
from smartcourt.distributions import actions
from smartcourt.distributions.choices import BatchStatus
from smartcourt.distributions.models import BatchLine, BatchTransition, PaymentBatch

from .helpers import PAYING_ACCOUNT, PAYING_BANK, csv_file, make_claim, ruled_plan

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = [
    ["1", "张三", "320623198001010011", "6222020000000001", "中国银行如东支行", "", "1000.00"],
    ["2", "甲供应商有限公司", "91320623000000003C", "1000123400056789", "江苏银行南通分行", "", "3000.00"],
]


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _plan(p: Personas) -> Any:
    make_claim(p, name="张三", identifier="320623198001010011", amount_fen=100_000, nature="employee")
    make_claim(p, name="甲供应商有限公司", identifier="91320623000000003C", amount_fen=1_000_000)
    return ruled_plan(p, 400_000)


def _upload(p: Personas, plan: Any, rows: list[list[str]]) -> Callable[[], Any]:
    return lambda: actions.upload_batch(
        actor=p.administrator,
        plan_id=plan.pk,
        filename="pay.csv",
        content=csv_file(rows),
        paying_account=PAYING_ACCOUNT,
        paying_bank_name=PAYING_BANK,
    )


def test_the_same_file_at_once_is_one_batch(personas: Personas) -> None:
    plan = _plan(personas)
    results = run_together(_upload(personas, plan, ROWS), _upload(personas, plan, ROWS))
    assert all(isinstance(r, tuple) for r in results), results
    assert results[0][0].pk == results[1][0].pk
    assert sorted(created for _, created in results) == [False, True]
    assert PaymentBatch.objects.count() == 1 and BatchLine.objects.count() == 2
    assert BatchTransition.objects.count() == 1


def test_two_files_at_once_leave_one_live_batch(personas: Personas) -> None:
    plan = _plan(personas)
    results = run_together(_upload(personas, plan, ROWS), _upload(personas, plan, list(reversed(ROWS))))
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "tuple"]
    assert PaymentBatch.objects.count() == 1 and BatchLine.objects.count() == 2


def test_two_approvals_at_once_make_one(personas: Personas) -> None:
    from conftest import TEST_PASSWORD
    from smartcourt.accounts.actions import create_user
    from smartcourt.accounts.choices import Role
    from smartcourt.cases.actions import add_member
    from smartcourt.cases.choices import MemberRole

    plan = _plan(personas)
    batch, _ = _upload(personas, plan, ROWS)()
    actions.submit_batch(actor=personas.administrator, batch_id=batch.pk)
    second = create_user(
        actor=None,
        username="judge2",
        password=TEST_PASSWORD,
        role=Role.JUDGE,
        full_name="陪审法官",
        organisation=personas.rudong,
        check_password_strength=False,
    )
    add_member(actor=personas.judge, case=personas.case, role=MemberRole.PANEL_JUDGE, user=second)
    results = run_together(
        lambda: actions.approve_batch(actor=personas.judge, batch_id=batch.pk),
        lambda: actions.approve_batch(actor=second, batch_id=batch.pk),
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "PaymentBatch"], results
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED
    assert BatchTransition.objects.filter(to_status=BatchStatus.APPROVED).count() == 1
    assert isinstance(next(r for r in results if not isinstance(r, PaymentBatch)), Conflict)
