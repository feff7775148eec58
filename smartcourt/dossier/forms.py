"""The correction form. It parses and checks input; the action holds the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smartcourt.core.uploads import CheckedFile, UploadRefused, checked_upload


class CorrectionForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("dossier entry", "Title"), max_length=200)
    note = forms.CharField(
        label=_("What is corrected"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(
        label=_("Corrected document"),
        required=False,
        help_text=_("Optional. PDF, Word, Excel, PNG, JPEG or plain text."),
    )

    def clean_attachment(self) -> CheckedFile | None:
        upload: Any = self.cleaned_data.get("attachment")
        if not upload:
            return None
        try:
            return checked_upload(upload, field="attachment")
        except UploadRefused as exc:
            raise forms.ValidationError(exc.message) from exc
