"""Forms of the request and report pages. They parse and check input; the actions hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.core.uploads import CheckedFile, UploadRefused, checked_upload
from smartcourt.correspondence.actions import MAX_ATTACHMENTS, MAX_BODY, MAX_SUBJECT
from smartcourt.correspondence.choices import Decision, ThreadKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is read and checked (real type, size) and comes back as a CheckedFile."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("At most %(count)d attachments.") % {"count": MAX_ATTACHMENTS})
        checked: list[CheckedFile] = []
        refusals: list[str] = []
        for upload in files:
            try:
                checked.append(checked_upload(upload, field="attachments"))
            except UploadRefused as exc:
                refusals.append(exc.message)
        if refusals:
            raise forms.ValidationError(refusals)
        return checked


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ThreadKind.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    body = forms.CharField(label=_("Text"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 8}))
    attachments = AttachmentsField(
        label=_("Attachments"), help_text=_("PDF, Word, Excel, PNG, JPEG or plain text; at most 10 files.")
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=MAX_BODY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you reject or ask for more information."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, decisions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in Decision.choices if value in decisions]


class ResubmitForm(forms.Form):
    body = forms.CharField(
        label=_("Additional information"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = AttachmentsField(label=_("Attachments"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
