"""Forms of the distribution pages: parsing only (yuan to fen, references, dates); rules are in actions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.claims.models import Claim
from smartcourt.core.errors import DomainError
from smartcourt.core.lengths import max_length
from smartcourt.core.money import yuan_to_fen
from smartcourt.distributions.choices import LineClass, PlanKind
from smartcourt.distributions.models import PlanLine
from smartcourt.distributions.planning import Expense

MAX_EXPENSE_LINES = 200
# What an expense is, as the plan's line shows it (PlanLine.label).
MAX_LABEL = max_length(PlanLine, "label")


def _fen(value: str, field: str) -> int:
    try:
        fen = yuan_to_fen(value.strip(), field=field)
    except DomainError as exc:
        raise forms.ValidationError(exc.message) from exc
    if fen < 0:
        raise forms.ValidationError(_("Cannot be negative"))
    return fen


def _expenses(text: str, line_class: LineClass, field: str) -> list[Expense]:
    found = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_EXPENSE_LINES:
        raise forms.ValidationError(_("At most %(max)d lines") % {"max": MAX_EXPENSE_LINES})
    for number, line in enumerate(lines, start=1):
        label, sep, amount = line.replace("，", ",").rpartition(",")
        if not sep or not label.strip():
            raise forms.ValidationError(_("Line %(n)d: write “what it is, amount in yuan”") % {"n": number})
        if len(label.strip()) > MAX_LABEL:
            raise forms.ValidationError(
                _("Line %(n)d: at most %(max)d characters before the amount") % {"n": number, "max": MAX_LABEL}
            )
        found.append(Expense(label=label.strip(), line_class=line_class, amount_fen=_fen(amount, field)))
    return found


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    available = forms.CharField(label=_("Amount available (yuan)"), max_length=20)
    available_basis = forms.CharField(
        label=_("Basis of the amount available"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    expenses = forms.CharField(
        label=_("Unpaid bankruptcy expenses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: what it is, amount in yuan"),
    )
    common_benefit = forms.CharField(
        label=_("Unpaid common-benefit debts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: what it is, amount in yuan"),
    )
    conditional = forms.CharField(
        label=_("Conditional claims (registration numbers)"),
        required=False,
        max_length=2000,
        help_text=_("Their share is held (art. 117); separate numbers with commas"),
    )

    def __init__(self, *args: Any, secured: Sequence[Claim] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.secured = list(secured)
        for claim in self.secured:
            self.fields[f"collateral_{claim.pk}"] = forms.CharField(
                label=_("Collateral proceeds of claim %(number)s (%(name)s), yuan")
                % {"number": claim.number, "name": claim.creditor.name},
                initial="0.00",
                max_length=20,
            )

    def clean_available(self) -> int:
        return _fen(self.cleaned_data["available"], "available")

    def clean_expenses(self) -> list[Expense]:
        return _expenses(self.cleaned_data["expenses"], LineClass.EXPENSES, "expenses")

    def clean_common_benefit(self) -> list[Expense]:
        return _expenses(self.cleaned_data["common_benefit"], LineClass.COMMON_BENEFIT, "common_benefit")

    def clean_conditional(self) -> list[int]:
        raw = self.cleaned_data["conditional"].replace("，", ",")
        numbers = [part.strip() for part in raw.split(",") if part.strip()]
        if not all(n.isdigit() for n in numbers):
            raise forms.ValidationError(_("Registration numbers are whole numbers"))
        return [int(n) for n in numbers]

    def collateral_proceeds(self) -> dict[str, int]:
        result = {}
        for claim in self.secured:
            key = f"collateral_{claim.pk}"
            value = str(self.cleaned_data.get(key) or "0")
            try:
                result[str(claim.pk)] = _fen(value, key)
            except forms.ValidationError as exc:
                self.add_error(key, exc)
        return result


class MeetingForm(forms.Form):
    adopted = forms.TypedChoiceField(
        label=_("Resolution"),
        choices=[("1", _("Adopted")), ("0", _("Not adopted"))],
        coerce=lambda v: v == "1",
    )
    reference = forms.CharField(label=_("Reference of the resolution"), max_length=100)
    resolved_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class RulingForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Ruling"),
        choices=[("1", _("Approve the plan")), ("0", _("Do not approve"))],
        coerce=lambda v: v == "1",
    )
    ruling_reference = forms.CharField(label=_("Case number of the ruling"), max_length=100)
    ruled_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason (if not approved)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Payment file (xlsx or csv)"))
    paying_account = forms.CharField(label=_("Paying account (the estate's account)"), max_length=34)
    paying_bank_name = forms.CharField(label=_("Bank of the paying account"), max_length=140)
    paying_bank_code = forms.CharField(label=_("Bank code (12 digits, optional)"), max_length=12, required=False)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReportForm(forms.Form):
    statement = forms.FileField(
        label=_("Bank statement (camt.053 XML, optional)"),
        required=False,
        help_text=_("With the statement, the batch must reconcile with it line by line first"),
    )


class AnnouncementForm(forms.Form):
    announced_on = forms.DateField(label=_("Announced on"), widget=forms.DateInput(attrs={"type": "date"}))
