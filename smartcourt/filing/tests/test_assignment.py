"""The presiding judge of a docketed filing: the court's rule for the cause of action's part of the list, else a
random draw among the court's judges that anyone can redo from its record (core.draws, as the administrator
draw); the clerk may choose another judge only with reasons, recorded beside what the assignment gave."""

from __future__ import annotations

import pytest

from conftest import TEST_PASSWORD, Personas
from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.audit.models import AuditEvent
from smartcourt.core.draws import draw_digest, draw_index
from smartcourt.core.errors import DomainError
from smartcourt.filing import actions
from smartcourt.filing.assignment import verify_assignment
from smartcourt.filing.models import AssignmentRule, JudgeAssignment
from smartcourt.filing.tests.helpers import filed, lawyer
from smartcourt.testing import client_for, permission_matrix, unchanged_database

CONTRACTS = "第四部分 合同、准合同纠纷"  # the part of 借款合同纠纷, the helpers' cause
SEED = "2026-12-05 公开摇号 0417"


def _judge(personas: Personas, username: str, name: str) -> User:
    return create_user(
        actor=None,
        username=username,
        password=TEST_PASSWORD,
        role=Role.JUDGE,
        full_name=name,
        organisation=personas.rudong,
        check_password_strength=False,
    )


def test_the_draw_is_reproducible_from_its_record(personas: Personas) -> None:
    judges = [personas.judge, _judge(personas, "judge2", "陈立"), _judge(personas, "judge3", "周平")]
    filing = actions.docket(actor=personas.clerk, filing_id=filed(personas, lawyer()).pk, seed=SEED)
    assignment = JudgeAssignment.objects.get(filing=filing)
    candidates = [{"judge_id": str(j.pk), "name": j.full_name} for j in sorted(judges, key=lambda j: j.username)]
    # Redone by hand from the record: HMAC-SHA256(seed, canonical candidate list), mod the number of judges.
    digest = draw_digest(SEED, candidates)
    index = draw_index(digest, candidates)
    assert (assignment.method, assignment.seed, assignment.candidates) == ("draw", SEED, candidates)
    assert (assignment.digest, assignment.drawn_index) == (digest, index)
    assert index == int(digest, 16) % 3
    assert filing.case is not None
    assert str(filing.case.presiding_judge_id) == candidates[index]["judge_id"] == str(assignment.judge_id)
    assert verify_assignment(assignment) == []
    event = AuditEvent.objects.get(action="filing.judge_assigned")
    assert (event.after or {})["digest"] == digest and (event.after or {})["seed"] == SEED
    # An edited record no longer checks out.
    JudgeAssignment.objects.filter(pk=assignment.pk).update(seed="another seed")
    assignment.refresh_from_db()
    assert "the seed and candidates do not give the recorded digest" in verify_assignment(assignment)
    assert any("seed differs from the audit event" in p for p in verify_assignment(assignment))


def test_the_courts_rule_for_the_cause_decides(personas: Personas) -> None:
    other = _judge(personas, "judge2", "陈立")
    actions.set_assignment_rule(
        actor=personas.court_admin, court_id=personas.rudong.pk, cause_part=CONTRACTS, judge_id=other.pk
    )
    filing = actions.docket(actor=personas.clerk, filing_id=filed(personas, lawyer()).pk)
    assignment = JudgeAssignment.objects.get(filing=filing)
    assert (assignment.method, assignment.rule_part, assignment.judge_id) == ("rule", CONTRACTS, other.pk)
    assert filing.case is not None and filing.case.presiding_judge_id == other.pk
    assert verify_assignment(assignment) == []


def test_the_clerk_overrides_only_with_reasons(personas: Personas) -> None:
    other = _judge(personas, "judge2", "陈立")
    actions.set_assignment_rule(
        actor=personas.court_admin, court_id=personas.rudong.pk, cause_part=CONTRACTS, judge_id=other.pk
    )
    filing = filed(personas, lawyer())
    with unchanged_database(), pytest.raises(DomainError) as refused:
        actions.docket(actor=personas.clerk, filing_id=filing.pk, presiding_judge_id=personas.judge.pk)
    assert (refused.value.field, refused.value.message) == ("override_reason", "改由其他法官承办的，应当说明理由")
    docketed = actions.docket(
        actor=personas.clerk, filing_id=filing.pk, presiding_judge_id=personas.judge.pk, override_reason="陈立法官回避"
    )
    assignment = JudgeAssignment.objects.get(filing=docketed)
    assert (assignment.assigned_judge_id, assignment.judge_id) == (other.pk, personas.judge.pk)
    assert assignment.override_reason == "陈立法官回避"
    assert docketed.case is not None and docketed.case.presiding_judge_id == personas.judge.pk
    event = AuditEvent.objects.get(action="filing.judge_assigned")
    assert (event.actor_id, (event.after or {})["override_reason"]) == (personas.clerk.pk, "陈立法官回避")
    page = client_for(personas.clerk).get(f"/filing/{docketed.pk}/").content.decode()
    assert 'data-testid="override"' in page and "陈立法官回避" in page
    # The applicant sees the judge on the case, not the court's assignment record.
    assert 'data-testid="assignment"' not in client_for(docketed.filer).get(f"/filing/{docketed.pk}/").content.decode()


def test_only_the_court_administrator_sets_rules(personas: Personas) -> None:
    for who in (personas.clerk, personas.judge, personas.outsider):
        with unchanged_database(), pytest.raises(DomainError) as refused:
            actions.set_assignment_rule(
                actor=who, court_id=personas.rudong.pk, cause_part=CONTRACTS, judge_id=personas.judge.pk
            )
        assert refused.value.status == 403
    with unchanged_database(), pytest.raises(DomainError) as refused:
        actions.set_assignment_rule(
            actor=personas.court_admin, court_id=personas.rudong.pk, cause_part="第十二部分", judge_id=None
        )
    assert refused.value.field == "cause_part"


def test_assignment_rules_page(personas: Personas) -> None:
    permission_matrix(
        personas,
        lambda c: c.get("/filing/assignment-rules/"),
        expect={"court_admin": 200, "clerk": 200, "outsider": 200},
        denied=403,
    )
    with unchanged_database():
        assert (
            client_for(personas.clerk)
            .post("/filing/assignment-rules/", {"cause_part": CONTRACTS, "judge": str(personas.judge.pk)})
            .status_code
            == 403
        )
    response = client_for(personas.court_admin).post(
        "/filing/assignment-rules/", {"cause_part": CONTRACTS, "judge": str(personas.judge.pk)}
    )
    assert response.status_code == 302
    rule = AssignmentRule.objects.get()
    assert (rule.court_id, rule.cause_part, rule.judge_id) == (personas.rudong.pk, CONTRACTS, personas.judge.pk)
    assert "张明" in client_for(personas.clerk).get("/filing/assignment-rules/").content.decode()
