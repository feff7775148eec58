"""The demo threads: one of each state a judge meets, all filed, and seeding twice adds nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from smartcourt.correspondence.demo import seed_correspondence
from smartcourt.correspondence.models import Thread
from smartcourt.dossier.models import DossierEntry

if TYPE_CHECKING:
    from conftest import Personas


@pytest.mark.django_db
def test_demo_threads(personas: Personas) -> None:
    seed_correspondence(case=personas.case, administrator=personas.administrator, judge=personas.judge)
    statuses = sorted(Thread.objects.filter(case=personas.case).values_list("subject", "status"))
    assert statuses == [
        ("关于变卖债务人机器设备的请示", "submitted"),
        ("关于继续债务人营业的请示", "more_info_requested"),
        ("关于聘请审计机构的请示", "approved"),
        ("接管债务人财产情况的报告", "acknowledged"),
    ]
    entries = DossierEntry.objects.filter(case=personas.case).count()
    # Records of 4 submissions and 3 answers, and 3 attachments.
    assert entries == 10
    seed_correspondence(case=personas.case, administrator=personas.administrator, judge=personas.judge)
    assert (Thread.objects.count(), DossierEntry.objects.count()) == (4, entries)
