"""Forms of the node pages: they parse what a browser sends; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.bankruptcy.choices import Colour, Procedure, ReconsiderationOutcome
from smartcourt.bankruptcy.selectors import BOARD_SORTS, BoardFilters
from smartcourt.rules.deadlines import ANCHORS


class VersionForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class OutputForm(VersionForm):
    output_key = forms.CharField(max_length=64)
    value = forms.CharField(required=False, max_length=1000)
    file = forms.FileField(required=False)


class ReturnForm(VersionForm):
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Grounds"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class ConvertForm(ReasonForm):
    declared_on = forms.DateField(
        label=_("Declaration of bankruptcy on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DateForm(forms.Form):
    name = forms.ChoiceField(label=_("Date"), choices=[(anchor.name, anchor.label_zh) for anchor in ANCHORS])
    value = forms.DateField(label=_("Value"), widget=forms.DateInput(attrs={"type": "date"}))


class BoardFilterForm(forms.Form):
    court = forms.ChoiceField(label=_("Court"), required=False)
    procedure = forms.ChoiceField(
        label=_("Procedure"), required=False, choices=[("", _("All procedures")), *Procedure.choices]
    )
    colour = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("All")), *[(c.value, c.label) for c in (Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.NONE)]],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("urgency", _("Most urgent first")),
            ("due", _("Next deadline")),
            ("number", _("Case number")),
            ("-number", _("Case number, descending")),
        ],
    )

    def __init__(self, *args: object, courts: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["court"].choices = [("", _("All courts")), *courts]  # type: ignore[attr-defined]

    def filters(self) -> BoardFilters:
        """The filters, ignoring any value the choices do not know (a stale or hand-edited address): an invalid
        field is left out of ``cleaned_data`` and means 'any', the others still apply."""
        self.is_valid()
        data = self.cleaned_data
        sort = data.get("sort") or "urgency"
        return BoardFilters(
            court=data.get("court") or "",
            procedure=data.get("procedure") or "",
            colour=data.get("colour") or "",
            sort=sort if sort in BOARD_SORTS else "urgency",
        )


class ConsolidationForm(forms.Form):
    credit_codes = forms.CharField(
        label=_("Credit codes of the related debtors"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    ruled_on = forms.DateField(label=_("Date of the ruling"), widget=forms.DateInput(attrs={"type": "date"}))


class ServiceForm(forms.Form):
    served_on = forms.DateField(label=_("Date the ruling was served"), widget=forms.DateInput(attrs={"type": "date"}))


class ReconsiderationForm(forms.Form):
    applicant = forms.CharField(label=_("Applicant"), max_length=200)
    filed_on = forms.DateField(label=_("Applied on"), widget=forms.DateInput(attrs={"type": "date"}))


class ReconsiderationDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[(o.value, o.label) for o in ReconsiderationOutcome if o != ReconsiderationOutcome.PENDING],
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Decision number"), max_length=100)
