"""Forms of the meeting pages: they parse and bound the input; the rules live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.core.errors import DomainError
from smartcourt.core.money import yuan_to_fen
from smartcourt.meetings.choices import AgendaKind, MeetingKind

AGENDA_ROWS = 6


class ConveneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Meeting title"), max_length=200)
    scheduled_at = forms.DateTimeField(
        label=_("Meeting opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    voting_opens_at = forms.DateTimeField(
        label=_("Voting opens"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    voting_closes_at = forms.DateTimeField(
        label=_("Voting closes"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    small_claims_threshold = forms.CharField(
        label=_("Small-claims class threshold (yuan)"),
        required=False,
        max_length=20,
        help_text=_("Optional (art. 82): ordinary claims up to this amount vote in their own class on a plan."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, AGENDA_ROWS + 1):
            self.fields[f"item_{row}_kind"] = forms.ChoiceField(
                label=_("Item %(n)s kind") % {"n": row},
                choices=[("", "—"), *AgendaKind.choices],
                required=False,
            )
            self.fields[f"item_{row}_title"] = forms.CharField(
                label=_("Item %(n)s title") % {"n": row}, max_length=200, required=False
            )

    def item_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"item_{row}_kind"], self[f"item_{row}_title"]) for row in range(1, AGENDA_ROWS + 1)]

    def clean_small_claims_threshold(self) -> int | None:
        value = self.cleaned_data.get("small_claims_threshold", "").strip()
        if not value:
            return None
        try:
            return yuan_to_fen(value, field="small_claims_threshold")
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc

    def items(self) -> list[tuple[str, str]]:
        found = []
        for row in range(1, AGENDA_ROWS + 1):
            kind = self.cleaned_data.get(f"item_{row}_kind") or ""
            title = (self.cleaned_data.get(f"item_{row}_title") or "").strip()
            if kind and title:
                found.append((kind, title))
        return found


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=200, required=False)
    file = forms.FileField(label=_("PDF file"))


class AmountsForm(forms.Form):
    secured = forms.CharField(label=_("Secured"), max_length=20, required=False)
    employee = forms.CharField(label=_("Employee"), max_length=20, required=False)
    tax = forms.CharField(label=_("Tax"), max_length=20, required=False)
    ordinary = forms.CharField(label=_("Ordinary"), max_length=20, required=False)
    priority_waived = forms.BooleanField(label=_("Priority waived"), required=False)

    def amounts_fen(self) -> dict[str, int]:
        found = {}
        for name in ("secured", "employee", "tax", "ordinary"):
            value = (self.cleaned_data.get(name) or "").strip()
            if value:
                try:
                    found[f"{name}_fen"] = yuan_to_fen(value, field=name)
                except DomainError as exc:
                    self.add_error(name, exc.message)
        return found


class VerifyForm(forms.Form):
    commitment = forms.CharField(label=_("Ballot commitment (64 hex characters)"), max_length=64, min_length=64)
