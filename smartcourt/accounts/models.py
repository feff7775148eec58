"""Organisations, users and their credentials."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from smartcourt.accounts.choices import COURT_ROLES, TWO_FACTOR_ROLES, OrganisationKind, Role
from smartcourt.core.models import TimestampedModel


class Organisation(TimestampedModel):
    """A court, an administrator firm, a bank or a company."""

    kind = models.CharField(max_length=32, choices=OrganisationKind.choices, help_text="What the organisation is.")
    name = models.CharField(max_length=200, help_text="Full registered name, e.g. 如东县人民法院.")
    short_name = models.CharField(max_length=60, blank=True, help_text="Name shown where space is short.")
    court_code = models.CharField(
        max_length=16,
        blank=True,
        help_text="Courts only: the code used in case numbers, e.g. 苏0623 or 苏06.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Courts only: the court above this one (Rudong's parent is Nantong Intermediate).",
    )
    credit_code = models.CharField(
        max_length=18,
        blank=True,
        help_text="Unified social credit code (统一社会信用代码), GB 32100, for firms, banks and companies.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court_code"], condition=Q(kind="court"), name="unique_court_code"),
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="unique_organisation_credit_code"
            ),
            models.CheckConstraint(
                condition=Q(kind="court", court_code__gt="") | (~Q(kind="court") & Q(court_code="")),
                name="court_code_only_and_always_for_courts",
            ),
        ]
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_court(self) -> bool:
        return self.kind == OrganisationKind.COURT


class User(AbstractUser):
    """A person who signs in. A user holds one role; court staff and firm members belong to an organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(max_length=32, choices=Role.choices, help_text="What the user does on the platform.")
    full_name = models.CharField(max_length=100, help_text="Name as on the identity document, e.g. 张明.")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text="Court, firm or bank the user works for; empty for a private creditor or party.",
    )
    phone = models.CharField(max_length=20, blank=True, help_text="Mobile number, for notices and SMS service.")
    totp_secret = models.CharField(
        max_length=128,
        blank=True,
        help_text="TOTP secret for the second factor, sealed (accounts.twofactor.seal_secret); empty until enrolment.",
    )
    totp_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the user proved possession of the TOTP secret."
    )
    totp_last_step = models.BigIntegerField(
        default=0, help_text="Last TOTP time step accepted, so that a code cannot be used twice."
    )

    REQUIRED_FIELDS = ["email", "role", "full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_court_staff(self) -> bool:
        return self.role in COURT_ROLES

    @property
    def needs_two_factor(self) -> bool:
        return self.role in TWO_FACTOR_ROLES


class ApiToken(TimestampedModel):
    """A bearer token for an integration. Only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'registry sync'.")
    prefix = models.CharField(max_length=12, unique=True, help_text="Public first part of the token, to find it.")
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 (hex) of the secret part.")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="After this the token is refused.")
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="When the token was revoked.")
    last_used_at = models.DateTimeField(null=True, blank=True, help_text="Last successful use.")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginAttempt(models.Model):
    """A failed sign-in, kept for throttling. Old rows are pruned by a periodic task."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    attempted_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "attempted_at"])]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"


class ExternalIdentity(TimestampedModel):
    """A user as the court's identity provider (法综) knows him: its issuer and his subject there (issue 18).

    The provider's subject is stable and opaque; a user is matched by it after his first single sign-on, so a
    later rename of his user name at the provider cannot move him onto another account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_external_identity"),
            models.UniqueConstraint(fields=["issuer", "user"], name="one_external_identity_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class ProviderSession(models.Model):
    """Which of our sessions a provider session (its ``sid``) opened, so the provider's back-channel logout can
    end exactly those (OpenID Connect Back-Channel Logout 1.0)."""

    issuer = models.CharField(max_length=200)
    sid = models.CharField(max_length=200)
    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_sessions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["issuer", "sid"])]

    def __str__(self) -> str:
        return f"{self.issuer} {self.sid}"


class AppKey(TimestampedModel):
    """A public key a user's app (phone app, mini-program, another system) signs its API requests with, as the
    internet zone requires of the app channel (issue 18, ADR 0012): RFC 9421 signatures under this key id,
    each nonce used once. The private half never reaches the platform."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="app_keys")
    name = models.CharField(max_length=80)
    keyid = models.CharField(max_length=40, unique=True)
    alg = models.CharField(max_length=16)
    public = models.CharField(max_length=100, help_text="The raw public key, base64.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.keyid
