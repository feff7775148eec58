"""Forms of the holiday table page. They parse input; the rules live in actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.rules.actions import MAX_NAME, MAX_SOURCE
from smartcourt.rules.choices import DayKind


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind of day"), choices=DayKind.choices)
    name = forms.CharField(
        label=_("Holiday"), max_length=MAX_NAME, widget=forms.TextInput(attrs={"placeholder": _("e.g. 春节")})
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=MAX_SOURCE,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("The official notice, e.g. 国办发明电〔2026〕…号")}),
    )


class RemoveHolidayForm(forms.Form):
    date = forms.DateField()


class PublishYearForm(forms.Form):
    source = forms.CharField(label=_("Source"), max_length=MAX_SOURCE, required=False)
