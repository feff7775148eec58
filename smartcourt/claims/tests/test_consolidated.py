"""Issue 15.20: in a merged bankruptcy the consolidated debtors' claims against one another are extinguished
(SPC Minutes 法〔2018〕53号 para. 36): one of them declaring a claim in the consolidated proceeding is refused,
and nothing changes. Any other creditor declares as before."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from smartcourt.bankruptcy.models import ConsolidatedDebtor, Consolidation
from smartcourt.cases.demo import credit_code
from smartcourt.core.errors import DomainError
from smartcourt.dossier.actions import file_entry
from smartcourt.dossier.choices import EntryKind

from .helpers import counts, declare, open_proceeding

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db
HONGFA = credit_code("91320623MA1HF0006")


def test_a_consolidated_debtor_cannot_declare_against_the_others(personas: Personas) -> None:
    p = personas
    open_proceeding(p)
    ruling = file_entry(actor=p.judge, case=p.case, kind=EntryKind.RULING, title="实质合并审理裁定")
    consolidation = Consolidation.objects.create(
        case=p.case, ruled_on=dt.date(2026, 3, 20), reasons="人格混同", ruled_by=p.judge, ruling_entry=ruling
    )
    ConsolidatedDebtor.objects.create(
        consolidation=consolidation, position=2, name="南通宏发投资有限公司", credit_code=HONGFA, registry_entry=ruling
    )
    before = counts()
    with pytest.raises(DomainError) as info:
        declare(p, creditor_kind="organisation", creditor_name="南通宏发投资有限公司", identifier=HONGFA)
    assert (info.value.field, info.value.code) == ("identifier", "consolidated_debtor")
    assert counts() == before
    assert declare(p).creditor.name == "刘债权"
