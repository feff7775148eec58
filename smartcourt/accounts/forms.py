"""Forms of the sign-in pages and the API token page. They parse input; the rules live in actions."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcourt.accounts.throttle import USERNAME_MAX_LENGTH
from smartcourt.accounts.tokens import NAME_MAX_LENGTH
from smartcourt.core.numbers import fold_full_width


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=USERNAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "class": "form-control"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "class": "form-control form-control-lg text-center font-monospace",
                "placeholder": "123456",
            }
        ),
    )

    def clean_code(self) -> str:
        # Authenticator apps show "123 456"; people type the space. Full-width digits from an input method are
        # folded; [0-9], not \d, which would take any script's digits.
        code = re.sub(r"[\s-]", "", fold_full_width(self.cleaned_data["code"]))
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("Enter the 6 digits shown in your authenticator app."))
        return code


EXPIRY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("1 year")),
    ("never", _("Never")),
]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What the token is for, e.g. the system that will use it."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    expires = forms.ChoiceField(
        label=_("Expires after"),
        choices=EXPIRY_CHOICES,
        initial="90",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def expires_at(self) -> dt.datetime | None:
        choice = self.cleaned_data["expires"]
        return None if choice == "never" else timezone.now() + dt.timedelta(days=int(choice))


class AppKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("The app or system that holds the private key."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    alg = forms.ChoiceField(
        label=_("Algorithm"),
        choices=[("ed25519", "Ed25519"), ("sm2-sm3", _("SM2 with SM3 (national standard)"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    public = forms.CharField(
        label=_("Public key (base64)"),
        help_text=_("The raw public key: 32 bytes for Ed25519, 64 bytes (x‖y) for SM2."),
        widget=forms.TextInput(attrs={"class": "form-control font-monospace", "autocomplete": "off"}),
    )
