"""The administrator roster (管理人名册) and appointments: by the judge's choice, by rotation and by a recorded
random draw that anyone can redo from the audit event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse

from smartcourt.accounts.actions import create_organisation, create_user
from smartcourt.accounts.choices import OrganisationKind, Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.administrators.actions import (
    add_to_roster,
    appoint_administrator,
    register_firm,
    set_draw_weight,
    update_roster_entry,
)
from smartcourt.administrators.choices import AppointmentMethod, Grade
from smartcourt.administrators.draw import canonical_candidates, draw_digest, draw_index, verify_draw
from smartcourt.administrators.models import Appointment, RosterEntry
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.actions import change_case_status, create_case
from smartcourt.cases.choices import CaseStatus, CaseType, MemberRole
from smartcourt.cases.demo import credit_code
from smartcourt.cases.models import Case
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.testing import client_for, database_state

if TYPE_CHECKING:
    from conftest import Personas

LISTED = dt.date(2025, 1, 6)
SEED = "2026年11月28日双色球开奖号码 03 08 15 21 27 30 + 09"


def firm(name: str, stem: str) -> Organisation:
    return create_organisation(
        actor=None, kind=OrganisationKind.ADMINISTRATOR_FIRM, name=name, credit_code=credit_code(stem)
    )


@pytest.fixture
def roster(personas: Personas) -> list[RosterEntry]:
    """Five firms on Rudong's roster: three of grade 2 (listed first to last: C, D, E), one grade 1 (A, the
    personas' firm), one inactive grade 2 (F)."""
    p = personas
    admin = p.court_admin
    entries = [
        add_to_roster(actor=admin, court=p.rudong, firm=p.firm_a, grade=Grade.FIRST, listed_on=LISTED),
        add_to_roster(
            actor=admin,
            court=p.rudong,
            firm=firm("江苏丙律师事务所", "31320000MD0000C01"),
            grade=Grade.SECOND,
            listed_on=LISTED,
        ),
        add_to_roster(
            actor=admin,
            court=p.rudong,
            firm=firm("江苏丁会计师事务所", "91320600MA1DD0001"),
            grade=Grade.SECOND,
            listed_on=LISTED,
        ),
        add_to_roster(
            actor=admin,
            court=p.rudong,
            firm=firm("江苏戊清算事务所有限公司", "91320600MA1WW0001"),
            grade=Grade.SECOND,
            listed_on=LISTED,
        ),
        add_to_roster(
            actor=admin,
            court=p.rudong,
            firm=firm("江苏己律师事务所", "31320000MD0000F01"),
            grade=Grade.SECOND,
            listed_on=LISTED,
        ),
    ]
    update_roster_entry(actor=admin, entry_id=entries[4].pk, grade=Grade.SECOND, active=False)
    return entries


def accepted_case(p: Personas, title: str, *, on: dt.date = dt.date(2026, 4, 1)) -> Case:
    case = create_case(
        actor=p.clerk, court=p.rudong, case_type=CaseType.BANKRUPTCY, title=title, filed_on=on, presiding_judge=p.judge
    )
    return change_case_status(actor=p.judge, case_id=case.pk, to_status=CaseStatus.OPEN, on=on)


def names(entries: list[RosterEntry]) -> list[str]:
    return [entry.firm.name for entry in entries]


# --- the roster ---------------------------------------------------------------------------------------------


def test_firms_are_listed_in_order_with_an_audit_event(personas: Personas, roster: list[RosterEntry]) -> None:
    assert [(entry.position, entry.grade, entry.active) for entry in RosterEntry.objects.order_by("position")] == [
        (1, "first", True),
        (2, "second", True),
        (3, "second", True),
        (4, "second", True),
        (5, "second", False),
    ]
    event = AuditEvent.objects.filter(action="administrators.roster_entry_added").order_by("seq").first()
    assert event is not None and event.after is not None
    assert (event.after["firm"], event.after["grade"], event.after["position"]) == ("江苏甲律师事务所", "first", 1)
    changed = AuditEvent.objects.get(action="administrators.roster_entry_changed")
    assert (changed.before, changed.after) == (
        {"grade": "second", "active": True},
        {"grade": "second", "active": False, "firm": "江苏己律师事务所"},
    )


def test_a_new_firm_is_registered_and_listed(personas: Personas) -> None:
    entry = register_firm(
        actor=personas.court_admin,
        court=personas.rudong,
        name="南通新立律师事务所",
        credit_code=credit_code("31320000MD0000N01"),
        grade=Grade.THIRD,
        listed_on=LISTED,
    )
    assert (entry.firm.kind, entry.firm.name, entry.grade, entry.position) == (
        "administrator_firm",
        "南通新立律师事务所",
        "third",
        1,
    )


@pytest.mark.parametrize("who", ["judge", "clerk", "assistant", "administrator", "outsider"])
def test_only_the_courts_administrator_keeps_the_roster(personas: Personas, who: str) -> None:
    before = database_state()
    with pytest.raises(PermissionDenied):
        add_to_roster(
            actor=getattr(personas, who),
            court=personas.rudong,
            firm=personas.firm_b,
            grade=Grade.SECOND,
            listed_on=LISTED,
        )
    assert database_state() == before


def test_roster_refusals_change_nothing(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    before = database_state()
    with pytest.raises(Conflict):
        add_to_roster(actor=p.court_admin, court=p.rudong, firm=p.firm_a, grade=Grade.SECOND, listed_on=LISTED)
    with pytest.raises(DomainError, match="not an administrator firm"):
        add_to_roster(actor=p.court_admin, court=p.rudong, firm=p.bank, grade=Grade.SECOND, listed_on=LISTED)
    with pytest.raises(DomainError, match="unknown roster grade"):
        add_to_roster(actor=p.court_admin, court=p.rudong, firm=p.firm_b, grade="fourth", listed_on=LISTED)
    with pytest.raises(DomainError, match="check character"):
        register_firm(
            actor=p.court_admin,
            court=p.rudong,
            name="坏代码律所",
            credit_code="91320600MA1WW00010",
            grade=Grade.SECOND,
            listed_on=LISTED,
        )
    # Another court's administrator cannot even find Rudong's entries.
    haimen_admin = _haimen_admin(p)
    before = database_state()
    with pytest.raises(NotFound):
        update_roster_entry(actor=haimen_admin, entry_id=roster[0].pk, grade=Grade.THIRD, active=False)
    assert database_state() == before


def _haimen_admin(p: Personas) -> User:
    return create_user(
        actor=None,
        username="haimen_admin",
        password="x",
        role=Role.COURT_ADMIN,
        full_name="海门管理员",
        organisation=p.haimen,
        check_password_strength=False,
    )


# --- appointment by the judge ----------------------------------------------------------------------------


def test_the_judge_appoints_a_firm_of_the_roster(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    case = accepted_case(p, "甲公司破产清算案")
    appointment = appoint_administrator(
        actor=p.judge, case=case, method=AppointmentMethod.JUDGE_CHOICE, firm=p.firm_a, appointed_on=dt.date(2026, 4, 2)
    )
    assert (appointment.firm, appointment.method, appointment.drawn_index, appointment.seed) == (
        p.firm_a,
        "judge_choice",
        None,
        "",
    )
    assert list(case.members.filter(role=MemberRole.ADMINISTRATOR).values_list("organisation__name", flat=True)) == [
        "江苏甲律师事务所"
    ]
    assert verify_draw(appointment).ok
    # The administrator of the appointed firm now sees the case.
    from smartcourt.cases.selectors import cases_visible_to

    assert cases_visible_to(p.administrator).filter(pk=case.pk).exists()


def test_the_judges_choice_must_be_an_active_firm_of_the_courts_roster(
    personas: Personas, roster: list[RosterEntry]
) -> None:
    p = personas
    case = accepted_case(p, "乙公司破产清算案")
    before = database_state()
    with pytest.raises(DomainError, match="not an active firm on the roster"):
        appoint_administrator(actor=p.judge, case=case, method=AppointmentMethod.JUDGE_CHOICE, firm=p.firm_b)
    with pytest.raises(DomainError, match="not an active firm on the roster"):
        appoint_administrator(actor=p.judge, case=case, method=AppointmentMethod.JUDGE_CHOICE, firm=roster[4].firm)
    assert database_state() == before


@pytest.mark.parametrize("who", ["clerk", "assistant", "court_admin", "administrator", "creditor_a"])
def test_only_a_judge_of_the_panel_appoints(personas: Personas, roster: list[RosterEntry], who: str) -> None:
    p = personas
    case = accepted_case(p, "丙公司破产清算案")
    before = database_state()
    with pytest.raises((PermissionDenied, NotFound)):
        appoint_administrator(actor=getattr(p, who), case=case, method=AppointmentMethod.ROTATION)
    assert database_state() == before


def test_an_outsider_cannot_find_the_case(personas: Personas, roster: list[RosterEntry]) -> None:
    case = accepted_case(personas, "丁公司破产清算案")
    before = database_state()
    with pytest.raises(NotFound):
        appoint_administrator(actor=personas.outsider, case=case, method=AppointmentMethod.ROTATION)
    assert database_state() == before


def test_a_case_has_one_administrator(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    case = accepted_case(p, "戊公司破产清算案")
    appoint_administrator(actor=p.judge, case=case, method=AppointmentMethod.ROTATION, grade=Grade.SECOND)
    before = database_state()
    with pytest.raises(Conflict, match="already has an administrator"):
        appoint_administrator(actor=p.judge, case=case, method=AppointmentMethod.ROTATION, grade=Grade.SECOND)
    # The personas' case has firm A as its administrator already (without a roster appointment).
    with pytest.raises(Conflict, match="already has an administrator"):
        appoint_administrator(actor=p.judge, case=p.case, method=AppointmentMethod.ROTATION)
    assert database_state() == before


def test_a_case_that_is_not_accepted_gets_no_administrator(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    review = create_case(
        actor=p.clerk,
        court=p.rudong,
        case_type=CaseType.BANKRUPTCY_APPLICATION,
        title="某公司破产申请审查案",
        filed_on=dt.date(2026, 4, 1),
        presiding_judge=p.judge,
    )
    before = database_state()
    with pytest.raises(DomainError, match="not an accepted bankruptcy or liquidation case"):
        appoint_administrator(actor=p.judge, case=review, method=AppointmentMethod.ROTATION)
    assert database_state() == before


# --- rotation -----------------------------------------------------------------------------------------------


def test_rotation_takes_the_firm_whose_last_appointment_is_oldest(
    personas: Personas, roster: list[RosterEntry]
) -> None:
    p = personas
    picks = []
    for index in range(5):
        case = accepted_case(p, f"轮候{index}号公司破产清算案")
        picks.append(
            appoint_administrator(actor=p.judge, case=case, method=AppointmentMethod.ROTATION, grade=Grade.SECOND)
        )
    # Never-appointed firms first in listing order, then round again; the inactive firm F never comes up.
    assert [a.firm.name for a in picks] == [
        "江苏丙律师事务所",
        "江苏丁会计师事务所",
        "江苏戊清算事务所有限公司",
        "江苏丙律师事务所",
        "江苏丁会计师事务所",
    ]
    last = picks[-1]
    assert [c["name"] for c in last.candidates] == [
        "江苏丁会计师事务所",
        "江苏戊清算事务所有限公司",
        "江苏丙律师事务所",
    ]
    assert last.drawn_index == 0
    assert all(verify_draw(a).ok for a in picks)


def test_a_judges_choice_counts_for_the_rotation(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    appoint_administrator(
        actor=p.judge,
        case=accepted_case(p, "选定公司破产清算案"),
        method=AppointmentMethod.JUDGE_CHOICE,
        firm=roster[1].firm,
    )
    rotated = appoint_administrator(
        actor=p.judge,
        case=accepted_case(p, "轮候公司破产清算案"),
        method=AppointmentMethod.ROTATION,
        grade=Grade.SECOND,
    )
    assert rotated.firm.name == "江苏丁会计师事务所"


def test_rotation_without_a_firm_of_the_grade_is_refused(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    case = accepted_case(p, "三级公司破产清算案")
    before = database_state()
    with pytest.raises(DomainError, match="no active firm of grade 'third'"):
        appoint_administrator(actor=p.judge, case=case, method=AppointmentMethod.ROTATION, grade=Grade.THIRD)
    assert database_state() == before


# --- random draw -------------------------------------------------------------------------------------------


def test_the_draw_is_reproducible_from_the_audit_event(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    case = accepted_case(p, "抽签公司破产清算案")
    appointment = appoint_administrator(
        actor=p.judge, case=case, method=AppointmentMethod.RANDOM_DRAW, grade=Grade.SECOND, seed=SEED
    )
    event = AuditEvent.objects.get(action="administrators.appointed", object_id=str(appointment.pk))
    assert event.after is not None
    logged_candidates = event.after["candidates"]
    assert [c["name"] for c in logged_candidates] == [
        "江苏丙律师事务所",
        "江苏丁会计师事务所",
        "江苏戊清算事务所有限公司",
    ]
    # Redo the draw with nothing but the event.
    digest = draw_digest(event.after["seed"], logged_candidates)
    index = draw_index(digest, logged_candidates)
    assert (event.after["seed"], event.after["digest"], event.after["drawn_index"]) == (SEED, digest, index)
    assert logged_candidates[index]["firm_id"] == str(appointment.firm_id)
    check = verify_draw(appointment)
    assert (check.ok, check.recomputed_index, check.recomputed_digest) == (True, index, digest)


def test_the_draw_formula_is_hmac_sha256_over_the_canonical_list() -> None:
    import hashlib
    import hmac

    candidates = [{"firm_id": "b", "name": "乙"}, {"firm_id": "a", "name": "甲"}]
    assert canonical_candidates(candidates) == '[{"firm_id":"b","name":"乙"},{"firm_id":"a","name":"甲"}]'.encode()
    expected = hmac.new(b"seed", canonical_candidates(candidates), hashlib.sha256).hexdigest()
    assert draw_digest("seed", candidates) == expected
    assert draw_index(expected, candidates) == int(expected, 16) % 2


@pytest.mark.parametrize(("ticket", "index"), [(0, 0), (1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (6, 0), (10, 2)])
def test_a_weighted_draw_gives_each_candidate_its_run_of_tickets(ticket: int, index: int) -> None:
    # Weights 1, 3 and 2: tickets 0 | 1 2 3 | 4 5, then round again (the digest is reduced mod 6).
    candidates: list[dict[str, Any]] = [{"firm_id": "a"}, {"firm_id": "b", "weight": 3}, {"firm_id": "c", "weight": 2}]
    assert draw_index(f"{ticket:064x}", candidates) == index


@pytest.mark.parametrize("weight", [0, -1, "2", 1.5, True])
def test_a_weight_that_is_not_a_positive_whole_number_is_refused(weight: object) -> None:
    with pytest.raises(ValueError, match="weight"):
        draw_index("0" * 64, [{"firm_id": "a", "weight": weight}])


def test_the_court_weights_a_firm_and_the_draw_records_and_verifies_it(
    personas: Personas, roster: list[RosterEntry]
) -> None:
    p = personas
    entry = next(e for e in roster if e.grade == Grade.SECOND)
    entry = set_draw_weight(actor=p.court_admin, entry_id=entry.pk, weight=4, reason="2026年度考评得分 88")
    assert entry.draw_weight == 4
    event = AuditEvent.objects.filter(action="administrators.draw_weight_changed").get()
    assert (event.before, event.after) == (
        {"draw_weight": 1},
        {"draw_weight": 4, "firm": entry.firm.name, "reason": "2026年度考评得分 88"},
    )
    appointment = appoint_administrator(
        actor=p.judge, case=accepted_case(p, "加权公司破产清算案"), method=AppointmentMethod.RANDOM_DRAW,
        grade=Grade.SECOND, seed=SEED,
    )  # fmt: skip
    weighted = [c for c in appointment.candidates if "weight" in c]
    assert weighted == [{**weighted[0], "weight": 4}] and weighted[0]["firm_id"] == str(entry.firm_id)
    assert verify_draw(appointment).ok


@pytest.mark.parametrize(("who", "weight"), [("judge", 3), ("outsider", 3), ("court_admin", 0), ("court_admin", 11)])
def test_draw_weights_are_set_by_the_court_admin_only_and_in_range(
    personas: Personas, roster: list[RosterEntry], who: str, weight: int
) -> None:
    entry = roster[0]
    before = (RosterEntry.objects.get(pk=entry.pk).draw_weight, AuditEvent.objects.count())
    with pytest.raises((DomainError, NotFound, PermissionDenied)):
        set_draw_weight(actor=getattr(personas, who), entry_id=entry.pk, weight=weight, reason="考评")
    assert (RosterEntry.objects.get(pk=entry.pk).draw_weight, AuditEvent.objects.count()) == before


def test_same_seed_and_candidates_draw_the_same_firm(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    first = appoint_administrator(
        actor=p.judge,
        case=accepted_case(p, "抽签一公司破产清算案"),
        method=AppointmentMethod.RANDOM_DRAW,
        grade=Grade.SECOND,
        seed=SEED,
    )
    second = appoint_administrator(
        actor=p.judge,
        case=accepted_case(p, "抽签二公司破产清算案"),
        method=AppointmentMethod.RANDOM_DRAW,
        grade=Grade.SECOND,
        seed=SEED,
    )
    assert first.candidates == second.candidates
    assert (first.digest, first.drawn_index, first.firm_id) == (second.digest, second.drawn_index, second.firm_id)


def test_without_a_seed_32_random_bytes_are_drawn_and_recorded(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    appointment = appoint_administrator(
        actor=p.judge,
        case=accepted_case(p, "随机公司破产清算案"),
        method=AppointmentMethod.RANDOM_DRAW,
        grade=Grade.SECOND,
    )
    assert len(appointment.seed) == 64 and int(appointment.seed, 16) >= 0
    assert verify_draw(appointment).ok


def test_verify_draw_detects_an_edited_seed(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    appointment = appoint_administrator(
        actor=p.judge,
        case=accepted_case(p, "篡改公司破产清算案"),
        method=AppointmentMethod.RANDOM_DRAW,
        grade=Grade.SECOND,
        seed=SEED,
    )
    Appointment.objects.filter(pk=appointment.pk).update(seed=SEED + " ")
    appointment.refresh_from_db()
    check = verify_draw(appointment)
    assert not check.ok
    assert "seed differs from the audit event" in check.problems[0]
    assert "the seed and candidates do not give the recorded digest" in check.problems


def test_verify_draw_detects_an_edited_candidate_list(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    appointment = appoint_administrator(
        actor=p.judge,
        case=accepted_case(p, "名单公司破产清算案"),
        method=AppointmentMethod.RANDOM_DRAW,
        grade=Grade.SECOND,
        seed=SEED,
    )
    Appointment.objects.filter(pk=appointment.pk).update(candidates=list(reversed(appointment.candidates)))
    appointment.refresh_from_db()
    assert "candidates differs from the audit event" in " ".join(verify_draw(appointment).problems)


def test_a_draw_names_no_firm(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    case = accepted_case(p, "指名公司破产清算案")
    before = database_state()
    with pytest.raises(DomainError, match="do not name one"):
        appoint_administrator(actor=p.judge, case=case, method=AppointmentMethod.RANDOM_DRAW, firm=p.firm_a, seed=SEED)
    assert database_state() == before


# --- pages -------------------------------------------------------------------------------------------------


def test_court_staff_read_the_roster_and_only_the_court_admin_sees_the_forms(
    personas: Personas, roster: list[RosterEntry]
) -> None:
    p = personas
    judge_page = client_for(p.judge, language="en").get(reverse("administrators:roster"))
    assert judge_page.status_code == 200
    html = judge_page.content.decode()
    assert html.count("江苏") >= 5 and "Add a firm to the roster" not in html
    admin_page = client_for(p.court_admin, language="en").get(reverse("administrators:roster")).content.decode()
    assert "Add a firm to the roster" in admin_page and "Register a new firm" in admin_page
    for outsider in (p.administrator, p.creditor_a, p.bank_operator):
        assert client_for(outsider, language="en").get(reverse("administrators:roster")).status_code == 404


def test_the_court_admin_adds_a_firm_through_the_page(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    response = client_for(p.court_admin, language="en").post(
        reverse("administrators:roster_add"), {"firm": p.firm_b.pk, "grade": "third", "listed_on": "2026-01-05"}
    )
    assert response.status_code == 302
    assert RosterEntry.objects.get(court=p.rudong, firm=p.firm_b).grade == "third"


def test_a_judge_cannot_post_to_the_roster(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    before = database_state()
    response = client_for(p.judge, language="en").post(
        reverse("administrators:roster_add"), {"firm": p.firm_b.pk, "grade": "third", "listed_on": "2026-01-05"}
    )
    assert response.status_code == 403
    response = client_for(p.judge, language="en").post(
        reverse("administrators:roster_update", args=[roster[0].pk]), {"grade": "third"}
    )
    assert response.status_code == 403
    response = client_for(p.judge, language="en").post(
        reverse("administrators:roster_weight", args=[roster[0].pk]), {"weight": "5", "reason": "考评"}
    )
    assert response.status_code == 403
    assert database_state() == before
    assert RosterEntry.objects.get(pk=roster[0].pk).draw_weight == 1


def test_the_court_admin_sets_a_draw_weight_on_the_roster_page(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    admin = client_for(p.court_admin, language="en")
    response = admin.post(
        reverse("administrators:roster_weight", args=[roster[0].pk]), {"weight": "3", "reason": "考评"}
    )
    assert (response.status_code, RosterEntry.objects.get(pk=roster[0].pk).draw_weight) == (302, 3)
    events = AuditEvent.objects.count()
    refused = admin.post(reverse("administrators:roster_weight", args=[roster[0].pk]), {"weight": "11", "reason": "x"})
    assert refused.status_code == 302 and AuditEvent.objects.count() == events
    assert RosterEntry.objects.get(pk=roster[0].pk).draw_weight == 3
    assert 'data-testid="draw-weight">3<' in admin.get(reverse("administrators:roster")).content.decode()


def test_a_bad_credit_code_is_shown_on_the_form(personas: Personas) -> None:
    p = personas
    before = database_state()
    response = client_for(p.court_admin, language="en").post(
        reverse("administrators:roster_register"),
        {"name": "坏代码律所", "credit_code": "91320600MA1WW00010", "grade": "second", "listed_on": "2026-01-05"},
    )
    assert response.status_code == 422
    assert "check character is 0, expected" in response.content.decode()
    assert database_state() == before


def test_the_draw_page_shows_seed_candidates_and_index(personas: Personas, roster: list[RosterEntry]) -> None:
    p = personas
    case = accepted_case(p, "页面公司破产清算案")
    appointment = appoint_administrator(
        actor=p.judge, case=case, method=AppointmentMethod.RANDOM_DRAW, grade=Grade.SECOND, seed=SEED
    )
    url = reverse("administrators:appointment", args=[appointment.pk])
    html = client_for(p.judge, language="en").get(url).content.decode()
    assert SEED in html and appointment.digest in html
    assert f'data-testid="drawn-index">{appointment.drawn_index} = 0x' in html
    assert "Recomputed now" in html
    # The appointed administrator sees it; an outsider and an unappointed firm do not.
    assert client_for(p.administrator, language="en").get(url).status_code == (
        200 if appointment.firm == p.firm_a else 404
    )
    assert client_for(p.outsider, language="en").get(url).status_code == 404
    assert client_for(p.creditor_b, language="en").get(url).status_code == 404
