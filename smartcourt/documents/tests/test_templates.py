from __future__ import annotations

from typing import Any

import pytest

from smartcourt.audit.models import AuditEvent
from smartcourt.core.errors import DomainError, PermissionDenied
from smartcourt.documents.actions import create_template, save_template_version
from smartcourt.documents.engine import TemplateProblem, check_template
from smartcourt.documents.models import DocumentTemplate, TemplateVersion
from smartcourt.documents.seeds import SEEDS

ISSUE_NAMES = [
    "受理破产申请民事裁定书",
    "不予受理破产申请民事裁定书",
    "指定管理人决定书",
    "受理破产申请公告",
    "债权申报通知书",
    "确认无争议债权民事裁定书",
    "宣告破产民事裁定书及公告",
    "认可破产财产分配方案民事裁定书",
    "终结破产程序民事裁定书及公告",
    "接管通知书",
    "债务人财产状况报告",
    "债权审查结论通知书",
    "债权表",
    "破产财产变价方案",
    "破产财产分配方案",
    "分配公告",
    "提请终结破产程序的报告",
    "注销登记情况报告",
    "终止执行职务的报告",
]


@pytest.mark.django_db
def test_seeded_library_has_every_template_of_the_issue_and_each_checks() -> None:
    names = set(DocumentTemplate.objects.values_list("name", flat=True))
    assert set(ISSUE_NAMES) <= names
    for seed in SEEDS:
        check_template(seed.body)
        template = DocumentTemplate.objects.get(key=seed.key)
        # The library carries the seed's current text: version 1 in a new database, or the version migration
        # 0005 added where the seeded rulings predate issue 15.17 (so ``number`` may be 2 there).
        assert template.current_version is not None
        assert template.current_version.body == seed.body.strip() + "\n"
        assert template.current_version.number in {1, 2}
        assert template.node_keys


@pytest.mark.parametrize(
    ("body", "line", "name"),
    [
        ("<p>{{ debtor_name }}</p>\n<p>{{ debtor_nmae }}</p>", 2, "debtor_nmae"),
        ("a\nb\n{% if accepted_on %}x", 3, "{% if accepted_on %}"),
        ("a\n{% include 'x.html' %}", 2, "include"),
        ("{{ court_name|safe }}", 1, "safe"),
        ("a\n\n\n{% load static %}", 4, "{% load static %}"),
    ],
)
def test_check_template_names_line_and_name(body: str, line: int, name: str) -> None:
    with pytest.raises(TemplateProblem) as info:
        check_template(body)
    assert info.value.line == line
    assert info.value.name == name
    assert str(info.value).startswith(f"line {line}:")


@pytest.mark.django_db
def test_new_version_becomes_current_and_is_audited(personas: Any) -> None:
    template = DocumentTemplate.objects.get(key="acceptance_ruling")
    first = template.current_version
    events = AuditEvent.objects.count()
    version = save_template_version(
        actor=personas.court_admin, template_key="acceptance_ruling", body="<p>{{ debtor_name }}</p>", note="short"
    )
    template.refresh_from_db()
    # Relative to the version the database has (1, or 2 where migration 0005 revised the seeded ruling).
    assert first is not None and version.number == first.number + 1
    assert template.current_version == version
    assert TemplateVersion.objects.filter(template=template).count() == first.number + 1
    assert first is not None and TemplateVersion.objects.get(pk=first.pk).body == first.body
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("seq").action == "documents.template_version_saved"


@pytest.mark.django_db
def test_broken_version_is_refused_and_old_version_stays(personas: Any) -> None:
    template = DocumentTemplate.objects.get(key="acceptance_ruling")
    current = template.current_version
    events, versions = AuditEvent.objects.count(), TemplateVersion.objects.count()
    with pytest.raises(DomainError) as info:
        save_template_version(actor=personas.court_admin, template_key="acceptance_ruling", body="a\n{{ judge_nmae }}")
    assert info.value.message == "line 2: unknown placeholder 'judge_nmae'"
    template.refresh_from_db()
    assert template.current_version == current
    assert (AuditEvent.objects.count(), TemplateVersion.objects.count()) == (events, versions)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["judge", "assistant", "clerk", "administrator", "creditor_a", "outsider"])
def test_only_court_admin_edits_templates(personas: Any, who: str) -> None:
    events, versions = AuditEvent.objects.count(), TemplateVersion.objects.count()
    with pytest.raises(PermissionDenied):
        save_template_version(actor=getattr(personas, who), template_key="acceptance_ruling", body="<p>x</p>")
    with pytest.raises(PermissionDenied):
        create_template(
            actor=getattr(personas, who), key="x", name="x", heading="x", issuer="court", node_keys=[], body="x"
        )
    assert (AuditEvent.objects.count(), TemplateVersion.objects.count()) == (events, versions)


@pytest.mark.django_db
def test_court_admin_creates_template(personas: Any) -> None:
    template = create_template(
        actor=personas.court_admin,
        key="debtor_notice",
        name="通知书（受理债权人破产申请后通知债务人用）",
        heading="通知书",
        issuer="court",
        node_keys=["N01"],
        body="<p>{{ debtor_name }}：</p>",
    )
    assert template.current_version is not None and template.current_version.number == 1
    assert AuditEvent.objects.latest("seq").action == "documents.template_created"
