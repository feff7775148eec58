"""Deferral, reduction and waiver (缓减免): the payer applies with reasons, the presiding judge decides; the fee
as computed stays in its calculation."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import Personas
from smartcourt.accounts.models import User
from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.fees import actions
from smartcourt.fees.models import FeeRelief, LitigationFee
from smartcourt.filing import actions as filing_actions
from smartcourt.filing.tests.helpers import filed, lawyer


def _fee(personas: Personas) -> tuple[LitigationFee, User]:
    user = lawyer()
    filing = filing_actions.docket(
        actor=personas.clerk, filing_id=filed(personas, user).pk, presiding_judge_id=personas.judge.pk
    )
    return LitigationFee.objects.get(case=filing.case), user


def test_reduction_granted_by_the_presiding_judge(personas: Personas) -> None:
    fee, user = _fee(personas)
    with pytest.raises(DomainError) as no_reasons:
        actions.apply_for_relief(actor=user, fee_id=fee.pk, kind="reduction", reasons=" ")
    assert no_reasons.value.field == "reasons"
    relief = actions.apply_for_relief(actor=user, fee_id=fee.pk, kind="reduction", reasons="原告系低保户，附低保证明。")
    with pytest.raises(Conflict):
        actions.apply_for_relief(actor=user, fee_id=fee.pk, kind="waiver", reasons="再次申请")
    before = AuditEvent.objects.count()
    for outsider in (personas.clerk, personas.assistant):
        with pytest.raises(PermissionDenied):
            actions.decide_relief(actor=outsider, relief_id=relief.pk, grant=True, reduced_to_fen=1000_00)
    assert AuditEvent.objects.count() == before
    actions.decide_relief(
        actor=personas.judge, relief_id=relief.pk, grant=True, reduced_to_fen=1000_00, note="准予减交"
    )
    fee.refresh_from_db()
    assert (fee.status, fee.fee_fen, fee.calculation["assessed_fen"]) == ("relieved", 1000_00, 2300_00)
    relief.refresh_from_db()
    assert relief.status == "granted" and relief.reduced_to_fen == 1000_00


def test_waiver_and_deferral_and_refusal(personas: Personas) -> None:
    fee, user = _fee(personas)
    relief = actions.apply_for_relief(actor=user, fee_id=fee.pk, kind="deferral", reasons="资金周转困难")
    with pytest.raises(DomainError):
        actions.decide_relief(actor=personas.judge, relief_id=relief.pk, grant=True, deferred_until=fee.due_on)
    later = fee.due_on + dt.timedelta(days=30)
    actions.decide_relief(actor=personas.judge, relief_id=relief.pk, grant=True, deferred_until=later)
    fee.refresh_from_db()
    assert (fee.status, fee.due_on, fee.fee_fen) == ("relieved", later, 2300_00)
    with pytest.raises(Conflict):
        actions.apply_for_relief(actor=user, fee_id=fee.pk, kind="waiver", reasons="again")
    with pytest.raises(NotFound):
        actions.apply_for_relief(actor=lawyer("other", "别人"), fee_id=fee.pk, kind="waiver", reasons="x")
    assert FeeRelief.objects.count() == 1
