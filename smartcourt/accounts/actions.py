"""Writes to organisations and users. Each function is one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcourt.accounts import twofactor
from smartcourt.accounts.choices import COURT_ROLES, ROLE_ORGANISATION_KIND, OrganisationKind, Role
from smartcourt.accounts.errors import AccountError
from smartcourt.accounts.models import ExternalIdentity, LoginAttempt, Organisation, ProviderSession, User
from smartcourt.accounts.sso import LogoutRequest, ProviderIdentity, SsoError
from smartcourt.accounts.throttle import normalise_username
from smartcourt.audit.actions import record_event
from smartcourt.core.errors import Conflict, DomainError
from smartcourt.core.identifiers import validate_credit_code


@transaction.atomic
def create_organisation(
    *,
    actor: User | None,
    kind: str,
    name: str,
    short_name: str = "",
    court_code: str = "",
    parent: Organisation | None = None,
    credit_code: str = "",
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise DomainError(f"unknown organisation kind {kind!r}", field="kind")
    name = name.strip()
    if not name:
        raise DomainError("an organisation needs a name", field="name")
    if kind == OrganisationKind.COURT:
        if not court_code:
            raise DomainError("a court needs its court code, e.g. 苏0623", field="court_code")
        if parent is not None and parent.kind != OrganisationKind.COURT:
            raise DomainError("a court's parent must be a court", field="parent")
    elif court_code or parent is not None:
        raise DomainError("only courts have a court code and a parent court", field="court_code")
    credit_code = validate_credit_code(credit_code) if credit_code else ""
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                kind=kind,
                name=name,
                short_name=short_name,
                court_code=court_code,
                parent=parent,
                credit_code=credit_code,
            )
    except IntegrityError as exc:
        raise Conflict(f"an organisation with this court code or credit code already exists: {name}") from exc
    record_event(
        actor=actor,
        action="accounts.organisation_created",
        obj=organisation,
        after={
            "kind": kind,
            "name": name,
            "court_code": court_code,
            "credit_code": credit_code,
            "parent": parent.name if parent else None,
        },
    )
    return organisation


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    organisation: Organisation | None = None,
    check_password_strength: bool = True,
) -> User:
    """Create a user in a role; court staff, firm members and bank operators must belong to an organisation
    of the matching kind."""
    if role not in Role.values:
        raise DomainError(f"unknown role {role!r}", field="role")
    username = username.strip()
    if not username:
        raise DomainError("a user needs a username", field="username")
    required_kind = ROLE_ORGANISATION_KIND[role]
    if required_kind is not None and (organisation is None or organisation.kind != required_kind):
        raise DomainError(f"a {role} must belong to an organisation of kind {required_kind}", field="organisation")
    user = User(
        username=username, role=role, full_name=full_name.strip(), email=email, phone=phone, organisation=organisation
    )
    if check_password_strength:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise Conflict(f"the username {username} is taken", field="username") from exc
    record_event(
        actor=actor,
        action="accounts.user_created",
        obj=user,
        after={
            "username": username,
            "role": role,
            "full_name": user.full_name,
            "organisation": organisation.name if organisation else None,
        },
    )
    return user


# --- Sign-in, sign-out and login throttling -------------------------------------------------------------


@transaction.atomic
def record_failed_login(*, username: str, ip_address: str | None) -> LoginAttempt:
    """Remember a failed sign-in (wrong password, unknown user or wrong TOTP code) for the throttle."""
    key = normalise_username(username)
    attempt = LoginAttempt.objects.create(username=key, ip_address=ip_address, attempted_at=timezone.now())
    record_event(actor=None, action="accounts.sign_in_failed", after={"username": key, "ip": ip_address})
    return attempt


def _clear_failures(user: User) -> int:
    deleted, _ = LoginAttempt.objects.filter(username=normalise_username(user.username)).delete()
    return deleted


@transaction.atomic
def record_sign_in(*, actor: User, ip_address: str | None, second_factor_pending: bool) -> None:
    """The password was accepted. The username's failures are cleared only when sign-in is complete:
    clearing them at the password step would give someone who knows the password a fresh budget of
    TOTP guesses with every new sign-in."""
    cleared = 0 if second_factor_pending else _clear_failures(actor)
    record_event(
        actor=actor,
        action="accounts.signed_in",
        obj=actor,
        after={
            "ip": ip_address,
            "second_factor": "pending" if second_factor_pending else "not_required",
            "failures_cleared": cleared,
        },
    )


@transaction.atomic
def record_sign_out(*, actor: User, ip_address: str | None) -> None:
    record_event(actor=actor, action="accounts.signed_out", obj=actor, after={"ip": ip_address})


@transaction.atomic
def prune_login_attempts(*, older_than: dt.timedelta = dt.timedelta(days=1), now: dt.datetime | None = None) -> int:
    """Delete failed sign-ins older than ``older_than``; they no longer count towards any lock."""
    cutoff = (now or timezone.now()) - older_than
    deleted, _ = LoginAttempt.objects.filter(attempted_at__lt=cutoff).delete()
    if deleted:
        record_event(actor=None, action="accounts.login_attempts_pruned", after={"deleted": deleted, "cutoff": cutoff})
    return deleted


# --- Second factor (TOTP) --------------------------------------------------------------------------------
# The secret never goes into an audit payload. A code is accepted at most once: the accepted time step is
# stored with a compare-and-set UPDATE (``totp_last_step < step``), so of two concurrent uses of one code
# exactly one changes the row, and a code older than the last accepted one is refused as well.


@transaction.atomic
def begin_totp_enrolment(*, actor: User) -> str:
    """Give ``actor`` a TOTP secret to put into an authenticator app; returns the secret.

    Idempotent until confirmed: the pending secret is kept, so reloading the page shows the same QR code.
    An enrolled user cannot start again here: someone holding only the password must not be able to
    replace the second factor."""
    row = User.objects.select_for_update().values("totp_secret", "totp_confirmed_at").get(pk=actor.pk)
    if row["totp_confirmed_at"] is not None:
        raise Conflict("The second factor is already set up for this account", code=AccountError.ALREADY_ENROLLED)
    if row["totp_secret"]:
        actor.totp_secret = row["totp_secret"]
        return twofactor.open_secret(row["totp_secret"], user_id=actor.pk)
    secret = twofactor.new_secret()
    sealed = twofactor.seal_secret(secret, user_id=actor.pk)
    User.objects.filter(pk=actor.pk, totp_confirmed_at__isnull=True, totp_secret="").update(totp_secret=sealed)
    # The instance holds what the row holds: saving it later must never write the secret in clear.
    actor.totp_secret = sealed
    record_event(actor=actor, action="accounts.totp_enrolment_started", obj=actor, after={"username": actor.username})
    return secret


@transaction.atomic
def confirm_totp_enrolment(*, actor: User, code: str, ip_address: str | None) -> bool:
    """Prove possession of the pending secret with a current code. True completes the enrolment (and the
    sign-in); False was a wrong or reused code and counts as a failed sign-in."""
    row = User.objects.values("totp_secret", "totp_confirmed_at").get(pk=actor.pk)
    if row["totp_confirmed_at"] is not None:
        raise Conflict("The second factor is already set up for this account", code=AccountError.ALREADY_ENROLLED)
    if not row["totp_secret"]:
        raise DomainError("Start the set-up first: there is no secret to confirm", code=AccountError.NOT_ENROLLING)
    now = timezone.now()
    step = twofactor.matching_step(twofactor.open_secret(row["totp_secret"], user_id=actor.pk), code, at=now)
    accepted = step is not None and bool(
        User.objects.filter(
            pk=actor.pk, totp_secret=row["totp_secret"], totp_confirmed_at__isnull=True, totp_last_step__lt=step
        ).update(totp_last_step=step, totp_confirmed_at=now)
    )
    if not accepted:
        record_failed_login(username=actor.username, ip_address=ip_address)
        return False
    assert step is not None
    actor.totp_last_step, actor.totp_confirmed_at = step, now
    cleared = _clear_failures(actor)
    record_event(
        actor=actor,
        action="accounts.totp_enrolled",
        obj=actor,
        after={"ip": ip_address, "confirmed_at": now, "failures_cleared": cleared},
    )
    return True


@transaction.atomic
def verify_totp(*, actor: User, code: str, ip_address: str | None) -> bool:
    """Check the second-factor code of an enrolled user. True completes the sign-in; False was a wrong or
    reused code and counts as a failed sign-in."""
    row = User.objects.values("totp_secret", "totp_confirmed_at").get(pk=actor.pk)
    if row["totp_confirmed_at"] is None or not row["totp_secret"]:
        raise DomainError("The second factor is not set up for this account", code=AccountError.NOT_ENROLLED)
    step = twofactor.matching_step(twofactor.open_secret(row["totp_secret"], user_id=actor.pk), code)
    accepted = step is not None and bool(
        User.objects.filter(pk=actor.pk, totp_last_step__lt=step).update(totp_last_step=step)
    )
    if not accepted:
        record_failed_login(username=actor.username, ip_address=ip_address)
        return False
    assert step is not None
    actor.totp_last_step = step
    cleared = _clear_failures(actor)
    record_event(
        actor=actor, action="accounts.totp_verified", obj=actor, after={"ip": ip_address, "failures_cleared": cleared}
    )
    return True


# --- Single sign-on from the court's identity provider (issue 18, ADR 0012) ----------------------------------


def _linked_user(identity: ProviderIdentity, court: Organisation) -> User:
    """The user the provider's subject is linked to; on the first sign-on, the account of the same user name
    (court staff were registered under their 法综 names) or a new one without a password of its own."""
    link = ExternalIdentity.objects.select_related("user").filter(issuer=identity.issuer, subject=identity.subject)
    found = link.first()
    if found is not None:
        return found.user
    user = User.objects.filter(username=identity.username).first()
    if user is None:
        user = create_user(
            actor=None,
            username=identity.username,
            password=secrets.token_urlsafe(32),
            role=identity.role,
            full_name=identity.name,
            organisation=court,
            check_password_strength=False,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif ExternalIdentity.objects.filter(issuer=identity.issuer, user=user).exists():
        # The account is linked to another person at the provider: a reused user name must not take it over.
        raise SsoError(_("This account belongs to another person of the court's sign-in system: ask the court"))
    ExternalIdentity.objects.create(user=user, issuer=identity.issuer, subject=identity.subject)
    record_event(
        actor=user,
        action="accounts.identity_linked",
        obj=user,
        after={"issuer": identity.issuer, "subject": identity.subject},
    )
    return user


@transaction.atomic
def sign_in_from_provider(*, identity: ProviderIdentity, ip_address: str | None) -> User:
    """A court staff member signed in at the provider: his account, with the role and court the provider
    says he has now (the 法综 system is the source of truth for who works where)."""
    if identity.role not in COURT_ROLES:
        raise SsoError(_("The court's sign-in system gives a role SmartCourt does not serve on this network"))
    court = Organisation.objects.filter(kind=OrganisationKind.COURT, court_code=identity.court).first()
    if court is None:
        raise SsoError(_("The court's sign-in system names a court SmartCourt does not know"))
    user = _linked_user(identity, court)
    if not user.is_active:
        raise SsoError(_("This account is switched off: ask the court"))
    before = {"role": user.role, "organisation": user.organisation_id and str(user.organisation_id)}
    after = {"role": identity.role, "organisation": str(court.pk)}
    if before != after:
        user.role, user.organisation = identity.role, court
        user.save(update_fields=["role", "organisation"])
        record_event(actor=user, action="accounts.roles_synced", obj=user, before=before, after=after)
    record_event(
        actor=user,
        action="accounts.signed_in",
        obj=user,
        after={"ip": ip_address, "second_factor": "provider", "failures_cleared": _clear_failures(user)},
    )
    return user


def remember_provider_session(*, user: User, identity: ProviderIdentity, session_key: str) -> None:
    """Which of our sessions the provider's session opened. Bookkeeping beside Django's own session row (the
    sign-in itself was audited by ``sign_in_from_provider``), so it has no audit event of its own."""
    ProviderSession.objects.update_or_create(
        session_key=session_key, defaults={"issuer": identity.issuer, "sid": identity.sid, "user": user}
    )


@transaction.atomic
def end_provider_sessions(*, logout: LogoutRequest) -> int:
    """The provider signed the user out: end every session his provider session opened here."""
    rows = list(ProviderSession.objects.select_related("user").filter(issuer=logout.issuer, sid=logout.sid))
    for row in rows:
        import_module(settings.SESSION_ENGINE).SessionStore(session_key=row.session_key).delete()
        record_event(actor=row.user, action="accounts.signed_out", obj=row.user, after={"by": "provider", "ip": None})
    ProviderSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)
