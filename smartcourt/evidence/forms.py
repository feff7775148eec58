"""Forms of the evidence pages. They parse and check input; the actions hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.core.uploads import UploadRefused
from smartcourt.evidence.hashing import HashedFile, hash_upload


class DepositForm(forms.Form):
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("Any type. Only its SHA-256 is kept; the file stays with you.")
    )
    sha256 = forms.CharField(
        label=_("Or its SHA-256"), required=False, max_length=64, help_text=_("64 hexadecimal characters.")
    )
    title = forms.CharField(label=_("What it is"), required=False, max_length=200)

    def clean_file(self) -> HashedFile | None:
        upload: Any = self.cleaned_data.get("file")
        if not upload:
            return None
        try:
            return hash_upload(upload)
        except UploadRefused as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hashed: HashedFile | None = data.get("file")
        given = (data.get("sha256") or "").strip().lower()
        if hashed is None and not given:
            raise forms.ValidationError(_("Choose a file or enter its SHA-256."))
        if hashed is not None and given and given != hashed.sha256:
            self.add_error("sha256", _("The file does not have this SHA-256."))
        return data


class VerifyForm(forms.Form):
    receipt = forms.FileField(label=_("Receipt"), help_text=_("The receipt PDF or its receipt.json."))
    file = forms.FileField(
        label=_("Evidence file"), required=False, help_text=_("Optional: the file the receipt is for.")
    )


class WitnessForm(forms.Form):
    public_key = forms.CharField(
        label=_("Witness verifier key"),
        max_length=300,
        help_text=_("name+keyid+base64, as the witness prints it at start-up."),
    )
