"""Shared pieces of the filing tests: a lawyer, a complete civil complaint, and the flow's steps."""

from __future__ import annotations

from typing import Any

from conftest import TEST_PASSWORD, Personas
from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.filing import actions
from smartcourt.filing.models import Filing

PLAINTIFF = {
    "role": "plaintiff",
    "kind": "natural_person",
    "name": "马某某",
    "id_number": "320623198507120019",
    "phone": "13800000000",
    "address": "江苏省如东县掘港镇",
}
DEFENDANT = {
    "role": "defendant",
    "kind": "organisation",
    "name": "如东某某建设有限公司",
    "credit_code": "914403001922038216",
    "address": "江苏省如东县掘港镇某某路1号",
}
LOAN = "CA062"  # 借款合同纠纷 (a property case)


def lawyer(name: str = "lawyer", full_name: str = "马俊") -> User:
    return create_user(
        actor=None,
        username=name,
        password=TEST_PASSWORD,
        role=Role.PARTY,
        full_name=full_name,
        organisation=None,
        check_password_strength=False,
    )


def complaint(personas: Personas, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "court_id": personas.rudong.pk,
        "cause_code": LOAN,
        "claims": "1. 判令被告偿还借款本金100,000元；\n2. 本案诉讼费用由被告负担。",
        "amount": "100000.00",
        "facts": "2025年3月1日，被告向原告借款100,000元，约定2025年12月31日归还，到期未还。",
        "consent_online": True,
        "parties": [PLAINTIFF, DEFENDANT],
        "practice_number": "13206202010123456",
    }
    values.update(changes)
    return values


def filed(personas: Personas, user: User, **changes: Any) -> Filing:
    filing = actions.save_draft(actor=user, filing_id=None, **complaint(personas, **changes))
    return actions.submit(actor=user, filing_id=filing.pk)
