"""Writes to organisations and users. Each function is one transaction with its audit event."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from smartcourt.accounts.choices import ROLE_ORGANISATION_KIND, OrganisationKind, Role
from smartcourt.accounts.models import Organisation, User
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
        after={"kind": kind, "name": name, "court_code": court_code, "credit_code": credit_code,
               "parent": parent.name if parent else None},
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
    user = User(username=username, role=role, full_name=full_name.strip(), email=email, phone=phone,
                organisation=organisation)
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
        after={"username": username, "role": role, "full_name": user.full_name,
               "organisation": organisation.name if organisation else None},
    )
    return user
