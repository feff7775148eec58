"""Forms of the funds pages: they parse input; the actions hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.banking.partners import all_partners, default_partner_name
from smartcourt.funds.choices import Purpose


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input, passed on unread: the action checks each one."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        return [item for item in (data if isinstance(data, list | tuple) else [data]) if item]


def _yuan(label: Any, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class LimitsForm(forms.Form):
    per_transaction = _yuan(_("Per-transaction limit (yuan)"), help_text=_("Empty: no limit of this kind."))
    daily = _yuan(_("Daily limit (yuan)"), help_text=_("Payments per calendar day (Beijing time)."))
    cumulative = _yuan(_("Cumulative limit (yuan)"), help_text=_("All payments since supervision began."))
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AccountForm(LimitsForm):
    field_order = ["mode", "bank_partner", "bank_name", "account_name", "holder_id", "existing_account_number"]
    mode = forms.ChoiceField(
        label=_("Account"),
        choices=[("open", _("Open a new account at the bank")), ("register", _("Register an existing account"))],
        initial="open",
    )
    # The configured bank connections (banking.partners); with only one there is nothing to choose, and its
    # internal name is not shown (it is a configuration key, not a bank's name).
    bank_partner = forms.ChoiceField(label=_("Bank partner"), choices=[])
    bank_name = forms.CharField(label=_("Bank and branch"), max_length=200)
    account_name = forms.CharField(label=_("Account name"), max_length=200, required=False)
    holder_id = forms.CharField(label=_("Holder's credit code"), max_length=18, required=False)
    existing_account_number = forms.CharField(label=_("Existing account number"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [partner.name for partner in all_partners()]
        field = self.fields["bank_partner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in names]
        field.initial = default_partner_name()
        if len(names) == 1:
            field.widget = forms.HiddenInput()


class PaymentForm(forms.Form):
    payee_name = forms.CharField(label=_("Payee"), max_length=140)
    payee_account = forms.CharField(label=_("Payee's account number"), max_length=40)
    payee_bank = forms.CharField(label=_("Payee's bank"), max_length=200)
    payee_bank_code = forms.CharField(label=_("CNAPS bank code"), max_length=12, required=False)
    amount = _yuan(_("Amount (yuan)"), required=True)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    description = forms.CharField(
        label=_("What the payment is for"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = FilesField(label=_("Supporting documents (PDF, PNG, JPEG)"))


class DecisionForm(forms.Form):
    decision = forms.CharField(max_length=16)
    note = forms.CharField(
        label=_("Opinion"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(min_value=1, max_value=1_000_000)
