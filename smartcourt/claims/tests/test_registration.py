"""Creditor self-registration with a verified identity (check digits, phone confirmed by SMS code), the
creditor portal (known cases, cases open for declaration) and declarations by an agent with a power of
attorney that the administrator checks."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from smartcourt.accounts.actions import create_user
from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import User
from smartcourt.audit.models import AuditEvent
from smartcourt.cases.selectors import cases_visible_to
from smartcourt.claims.actions import (
    Registration,
    ReviewDecision,
    check_power_of_attorney,
    declare_claim,
    join_case_to_declare,
    register_creditor,
    request_phone_code,
    review_claim,
)
from smartcourt.claims.choices import ClaimStatus, CreditorKind, CreditorSource, DocumentKind, PowerOfAttorneyStatus
from smartcourt.claims.models import Claim, Creditor, CreditorIdentity
from smartcourt.claims.selectors import tracker_for
from smartcourt.claims.tests.helpers import IN_PERIOD, declaration, open_proceeding
from smartcourt.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from smartcourt.dossier.tests.helpers import sample_pdf, upload
from smartcourt.services.models import PhoneChallenge
from smartcourt.services.phone import CODE_ATTEMPTS

if TYPE_CHECKING:
    from conftest import Personas

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
PERSON_ID = "320623198001011237"
COMPANY_CODE = "9132062312345678AN"
PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture
def p(personas: Personas) -> Personas:
    open_proceeding(personas)
    return personas


class Outbox:
    """The SMS adapter's messages; the code is read from the text like a person reads his phone."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))

    def last_code(self) -> str:
        match = re.search(r"验证码为(\d{6})", self.sent[-1][1])
        assert match is not None
        return match.group(1)


@pytest.fixture
def sms() -> Any:
    outbox = Outbox()
    with mock.patch("smartcourt.services.phone.sms_adapter", return_value=outbox):
        yield outbox


def send_code(capture: Any, phone: str = PHONE, now: dt.datetime | None = None) -> PhoneChallenge:
    with capture(execute=True):
        return request_phone_code(phone=phone, now=now)


def registration(**overrides: Any) -> Registration:
    fields: dict[str, Any] = {
        "kind": CreditorKind.NATURAL_PERSON,
        "identifier": PERSON_ID,
        "full_name": "王登记",
        "phone": PHONE,
        "username": "wang",
        "password": PASSWORD,
    }
    fields.update(overrides)
    return Registration(**fields)


def test_code_is_sent_by_sms_and_stored_only_as_a_hash(sms: Outbox, django_capture_on_commit_callbacks: Any) -> None:
    challenge = send_code(django_capture_on_commit_callbacks)
    code = sms.last_code()
    assert sms.sent[-1][0] == PHONE
    assert len(code) == 6 and code not in challenge.code_hash
    assert challenge.expires_at - challenge.created_at == dt.timedelta(minutes=10)
    event = AuditEvent.objects.get(action="claims.phone_code_sent")
    assert PHONE not in str(event.after) and "139****5678" in str(event.after)


def test_codes_are_rate_limited_per_phone(sms: Outbox, django_capture_on_commit_callbacks: Any) -> None:
    start = timezone.now()
    send_code(django_capture_on_commit_callbacks, now=start)
    with pytest.raises(Conflict, match="wait a minute"):
        request_phone_code(phone=PHONE, now=start + dt.timedelta(seconds=30))
    for minute in range(1, 5):
        send_code(django_capture_on_commit_callbacks, now=start + dt.timedelta(minutes=minute * 2))
    with pytest.raises(Conflict, match="Too many codes"):
        request_phone_code(phone=PHONE, now=start + dt.timedelta(minutes=20))
    assert PhoneChallenge.objects.filter(phone=PHONE).count() == 5
    # Another phone is not held back, and an hour later this one may ask again.
    send_code(django_capture_on_commit_callbacks, phone="13800000001", now=start + dt.timedelta(minutes=20))
    send_code(django_capture_on_commit_callbacks, now=start + dt.timedelta(minutes=70))
    assert len(sms.sent) == 7


@pytest.mark.parametrize("phone", ["12345", "23912345678", "1391234567x", ""])
def test_a_bad_phone_gets_no_code(sms: Outbox, phone: str) -> None:
    with pytest.raises(DomainError, match="11 digits"):
        request_phone_code(phone=phone)
    assert PhoneChallenge.objects.count() == 0 and sms.sent == []


def test_wrong_codes_count_and_five_end_the_challenge(sms: Outbox, django_capture_on_commit_callbacks: Any) -> None:
    challenge = send_code(django_capture_on_commit_callbacks)
    good = sms.last_code()
    wrong = "000000" if good != "000000" else "111111"
    for attempt in range(1, CODE_ATTEMPTS + 1):
        with pytest.raises(DomainError, match=f"{CODE_ATTEMPTS - attempt} attempt"):
            register_creditor(registration=registration(), challenge_id=challenge.pk, code=wrong)
    with pytest.raises(DomainError, match="tried too often"):
        register_creditor(registration=registration(), challenge_id=challenge.pk, code=good)
    challenge.refresh_from_db()
    assert challenge.attempts == CODE_ATTEMPTS and challenge.used_at is None
    assert not User.objects.filter(username="wang").exists()


def test_an_expired_code_is_refused(sms: Outbox, django_capture_on_commit_callbacks: Any) -> None:
    challenge = send_code(django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(minutes=10, seconds=1)
    with pytest.raises(DomainError, match="expired"):
        register_creditor(registration=registration(), challenge_id=challenge.pk, code=sms.last_code(), now=later)
    assert not User.objects.filter(username="wang").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"identifier": "320623198001011238"}, "check digit is 8, expected 7"),
        ({"kind": CreditorKind.ORGANISATION, "identifier": "9132062312345678AM"}, "check character is M"),
        ({"phone": "13900000000"}, "expired"),  # the code was sent to another phone
        ({"full_name": "  "}, "name"),
    ],
)
def test_bad_registrations_create_nothing(
    sms: Outbox, django_capture_on_commit_callbacks: Any, overrides: dict[str, Any], message: str
) -> None:
    challenge = send_code(django_capture_on_commit_callbacks)
    users = User.objects.count()
    with pytest.raises(DomainError, match=message):
        register_creditor(registration=registration(**overrides), challenge_id=challenge.pk, code=sms.last_code())
    assert User.objects.count() == users and CreditorIdentity.objects.count() == 0


def test_registration_links_the_listed_creditor_and_shows_his_case(
    p: Personas, sms: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    listed = Creditor.objects.create(
        case=p.case,
        kind=CreditorKind.NATURAL_PERSON,
        name="王登记",
        identifier=PERSON_ID,
        phone=PHONE,
        source=CreditorSource.DEBTOR_LIST,
        listed_principal_fen=5_000_000,
    )
    other = Creditor.objects.create(
        case=p.other_court_case,
        kind=CreditorKind.NATURAL_PERSON,
        name="王登记",
        identifier=PERSON_ID,
        phone="13700000000",
        source=CreditorSource.DEBTOR_LIST,
    )
    challenge = send_code(django_capture_on_commit_callbacks)
    user = register_creditor(
        registration=registration(identifier=PERSON_ID.lower()), challenge_id=challenge.pk, code=sms.last_code()
    )
    assert user.role == Role.CREDITOR and user.phone == PHONE and user.check_password(PASSWORD)
    assert user.creditor_identity.identifier == PERSON_ID
    listed.refresh_from_db()
    other.refresh_from_db()
    assert listed.user == user
    # Same identity number but another phone on that list: not his without more proof.
    assert other.user is None
    assert list(cases_visible_to(user)) == [p.case]
    # The code is used up.
    with pytest.raises(DomainError):
        register_creditor(registration=registration(username="wang2"), challenge_id=challenge.pk, code=sms.last_code())


def test_one_account_per_identifier(sms: Outbox, django_capture_on_commit_callbacks: Any) -> None:
    challenge = send_code(django_capture_on_commit_callbacks)
    register_creditor(registration=registration(), challenge_id=challenge.pk, code=sms.last_code())
    challenge = send_code(django_capture_on_commit_callbacks, phone="13800000002")
    with pytest.raises(Conflict, match="already registered"):
        register_creditor(
            registration=registration(username="wang2", phone="13800000002"),
            challenge_id=challenge.pk,
            code=sms.last_code(),
        )
    assert User.objects.filter(username="wang2").count() == 0


def _registered(sms: Outbox, capture: Any, **overrides: Any) -> User:
    challenge = send_code(capture, phone=overrides.get("phone", PHONE))
    return register_creditor(registration=registration(**overrides), challenge_id=challenge.pk, code=sms.last_code())


def test_a_registered_creditor_joins_an_open_case_and_declares(
    p: Personas, sms: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    user = _registered(sms, django_capture_on_commit_callbacks)
    assert not cases_visible_to(user).exists()
    join_case_to_declare(actor=user, case_id=p.case.pk)
    join_case_to_declare(actor=user, case_id=p.case.pk)  # twice is fine
    claim = declare_claim(
        actor=user,
        case_id=p.case.pk,
        declaration=declaration(identifier=PERSON_ID, creditor_name="王登记"),
        now=IN_PERIOD,
    )
    assert claim.creditor.user == user
    # A case without an accepted proceeding is not open for declaration.
    with pytest.raises(NotFound):
        join_case_to_declare(actor=user, case_id=p.other_court_case.pk)


@pytest.mark.parametrize("persona", ["creditor_b", "administrator", "judge"])
def test_joining_needs_a_verified_creditor_or_an_agent(p: Personas, persona: str) -> None:
    actor = getattr(p, persona)
    members = p.case.members.count()
    with pytest.raises(PermissionDenied):
        join_case_to_declare(actor=actor, case_id=p.case.pk)
    assert p.case.members.count() == members


@pytest.fixture
def lawyer(p: Personas) -> User:
    user = create_user(
        actor=None,
        username="lawyer",
        password=PASSWORD,
        role=Role.PARTY,
        full_name="赵律师",
        phone="13600000000",
    )
    join_case_to_declare(actor=user, case_id=p.case.pk)
    return user


def _declare_as_agent(p: Personas, lawyer: User) -> Claim:
    return declare_claim(
        actor=lawyer,
        case_id=p.case.pk,
        declaration=declaration(identifier=PERSON_ID, creditor_name="王登记"),
        power_of_attorney=upload("授权委托书.pdf", sample_pdf("power of attorney")),
        now=IN_PERIOD,
    )


def test_agent_declares_with_a_power_of_attorney_the_creditor_sees_it(
    p: Personas, lawyer: User, sms: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    creditor = _registered(sms, django_capture_on_commit_callbacks)
    claim = _declare_as_agent(p, lawyer)
    assert claim.agent == lawyer and claim.poa_status == PowerOfAttorneyStatus.PENDING
    assert claim.creditor.user == creditor  # the registered creditor, never the agent
    assert claim.documents.filter(kind=DocumentKind.POWER_OF_ATTORNEY, entry=claim.poa_entry).count() == 1
    assert list(tracker_for(lawyer)) == [claim]
    assert list(tracker_for(creditor)) == [claim]
    # No review before the power of attorney is checked.
    with pytest.raises(Conflict, match="power of attorney"):
        review_claim(actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result="confirmed"))
    with pytest.raises(PermissionDenied):
        check_power_of_attorney(actor=creditor, claim_id=claim.pk, accepted=True)
    with pytest.raises(DomainError, match="reason"):
        check_power_of_attorney(actor=p.administrator, claim_id=claim.pk, accepted=False)
    claim.refresh_from_db()
    assert claim.poa_status == PowerOfAttorneyStatus.PENDING
    check_power_of_attorney(actor=p.administrator, claim_id=claim.pk, accepted=True, note="委托权限含申报、异议")
    with pytest.raises(Conflict):
        check_power_of_attorney(actor=p.administrator, claim_id=claim.pk, accepted=False, note="again")
    review_claim(actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result="confirmed"))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED


def test_a_rejected_power_of_attorney_blocks_the_review(p: Personas, lawyer: User) -> None:
    claim = _declare_as_agent(p, lawyer)
    assert claim.creditor.user is None  # the creditor has not registered
    check_power_of_attorney(actor=p.administrator, claim_id=claim.pk, accepted=False, note="委托书未签字")
    with pytest.raises(Conflict):
        review_claim(actor=p.administrator, claim_id=claim.pk, decision=ReviewDecision(result="confirmed"))
    assert AuditEvent.objects.filter(action="claims.power_of_attorney_checked").count() == 1


def test_register_page_flow_logs_in_and_opens_the_portal(client: Any, p: Personas, sms: Outbox) -> None:
    url = reverse("claims:register")
    assert client.get(url).status_code == 200
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, *a, **k: fn()):
        page = client.post(url, {"step": "code", "phone": PHONE})
    assert page.status_code == 200 and b"register-form" in page.content
    challenge = PhoneChallenge.objects.get()
    data = {
        "kind": "natural_person",
        "identifier": PERSON_ID,
        "full_name": "王登记",
        "phone": PHONE,
        "challenge": str(challenge.pk),
        "code": "000000" if sms.last_code() != "000000" else "111111",
        "username": "wang",
        "password": PASSWORD,
    }
    assert client.post(url, data).status_code == 422
    data["code"] = sms.last_code()
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("claims:portal")
    portal = client.get(reverse("claims:portal")).content.decode()
    assert p.case.number in portal and f"join-{p.case.pk}" in portal
    response = client.post(reverse("claims:join", args=[p.case.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("claims:declare", args=[p.case.pk])
    assert client.get(reverse("claims:declare", args=[p.case.pk])).status_code == 200


def test_poa_check_page_permissions(client: Any, p: Personas, lawyer: User) -> None:
    claim = _declare_as_agent(p, lawyer)
    url = reverse("claims:check_poa", args=[p.case.pk, claim.pk])
    client.force_login(lawyer)
    detail = client.get(reverse("claims:detail", args=[p.case.pk, claim.pk])).content.decode()
    assert "poa-status" in detail and "poa-form" not in detail
    assert client.post(url, {"decision": "accept"}).status_code == 403
    client.force_login(p.creditor_b)
    assert client.post(url, {"decision": "accept"}).status_code == 404
    claim.refresh_from_db()
    assert claim.poa_status == PowerOfAttorneyStatus.PENDING
    client.force_login(p.administrator)
    detail = client.get(reverse("claims:detail", args=[p.case.pk, claim.pk])).content.decode()
    assert "poa-form" in detail and "review-form" not in detail
    assert client.post(url, {"decision": "reject"}).status_code == 422
    assert client.post(url, {"decision": "accept"}).status_code == 302
    claim.refresh_from_db()
    assert claim.poa_status == PowerOfAttorneyStatus.ACCEPTED
