"""Forms of the roster pages. They parse input; the rules live in actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from smartcourt.accounts.models import Organisation
from smartcourt.administrators.choices import Grade


class _DateInput(forms.DateInput):
    input_type = "date"


class AddToRosterForm(forms.Form):
    firm = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Firm"), empty_label=None)
    grade = forms.ChoiceField(choices=Grade.choices, label=_("Grade"))
    listed_on = forms.DateField(label=_("Listed on"), widget=_DateInput())

    def __init__(self, *args: Any, firms: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = firms  # type: ignore[attr-defined]


class RegisterFirmForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Firm name"))
    credit_code = forms.CharField(max_length=18, label=_("Unified social credit code"))
    grade = forms.ChoiceField(choices=Grade.choices, label=_("Grade"))
    listed_on = forms.DateField(label=_("Listed on"), widget=_DateInput())


class UpdateEntryForm(forms.Form):
    grade = forms.ChoiceField(choices=Grade.choices, label=_("Grade"))
    active = forms.BooleanField(required=False, label=_("Active"))


class DrawWeightForm(forms.Form):
    weight = forms.IntegerField(min_value=1, max_value=10, label=_("Draw weight"))
    reason = forms.CharField(max_length=500, label=_("Reason"))
