"""Forms of the claims pages: they parse input; the actions hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.claims.actions import MAX_REASON
from smartcourt.claims.choices import ClaimNature, CreditorKind, CreditorSource, DayCount, Liability, ResolutionBasis

REVIEW_CHOICES = [
    ("confirmed", _("Confirmed")),
    ("partly_confirmed", _("Partly confirmed")),
    ("not_confirmed", _("Not confirmed")),
    ("pending", _("Pending")),
]


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


def _amount(label: Any, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class DeclarationForm(forms.Form):
    creditor_kind = forms.ChoiceField(label=_("Creditor type"), choices=CreditorKind.choices)
    creditor_name = forms.CharField(label=_("Creditor name"), max_length=200)
    identifier = forms.CharField(label=_("Identity number or credit code"), max_length=18)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    nature = forms.ChoiceField(label=_("Nature"), choices=ClaimNature.choices)
    collateral = forms.CharField(label=_("Collateral (secured claims)"), max_length=500, required=False)
    principal = _amount(_("Principal (yuan)"), required=True)
    interest_from = forms.DateField(
        label=_("Interest from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    interest_rate_percent = forms.CharField(label=_("Annual interest rate (%)"), max_length=10, required=False)
    day_count = forms.ChoiceField(label=_("Day count"), choices=DayCount.choices, initial=DayCount.ACT_365)
    penalties = _amount(_("Penalties (yuan)"))
    costs = _amount(_("Costs of enforcing the claim (yuan)"))
    liability = forms.ChoiceField(label=_("Liability"), choices=Liability.choices, initial=Liability.SOLE)
    co_obligors = forms.CharField(label=_("Joint debtors or principal debtor"), max_length=500, required=False)
    basis = forms.CharField(
        label=_("Facts and grounds"), max_length=MAX_REASON, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = FilesField(label=_("Evidence"), help_text=_("PDF, PNG or JPEG; at most 10 files."))
    power_of_attorney = forms.FileField(
        label=_("Power of attorney (agents only)"),
        required=False,
        help_text=_("A lawyer or other agent declaring for the creditor uploads the signed power of attorney."),
    )


class ReviewForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=REVIEW_CHOICES)
    nature = forms.ChoiceField(label=_("Confirmed nature"), choices=ClaimNature.choices)
    principal = _amount(_("Principal confirmed (yuan)"))
    interest = _amount(_("Interest confirmed (yuan)"))
    penalties = _amount(_("Penalties confirmed (yuan)"))
    costs = _amount(_("Costs confirmed (yuan)"))
    reason_principal = forms.CharField(label=_("Reason (principal)"), max_length=MAX_REASON, required=False)
    reason_interest = forms.CharField(label=_("Reason (interest)"), max_length=MAX_REASON, required=False)
    reason_penalties = forms.CharField(label=_("Reason (penalties)"), max_length=MAX_REASON, required=False)
    reason_costs = forms.CharField(label=_("Reason (costs)"), max_length=MAX_REASON, required=False)
    reason_nature = forms.CharField(label=_("Reason (nature)"), max_length=MAX_REASON, required=False)
    reason_general = forms.CharField(label=_("General remarks"), max_length=MAX_REASON, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectionForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}))
    claimed_total = _amount(_("Amount you say is due (yuan)"))


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label=_("List"),
        choices=[
            (CreditorSource.DEBTOR_LIST, _("Debtor's creditor list")),
            (CreditorSource.EMPLOYEE_LIST, _("Employee list")),
        ],
    )
    file = forms.FileField(label=_("File (xlsx or csv)"))


class RulingForm(forms.Form):
    ruled_on = forms.DateField(label=_("Ruling date"), widget=forms.DateInput(attrs={"type": "date"}))


class LinkLineForm(forms.Form):
    identifier = forms.CharField(label=_("Your identity number"), max_length=18)


class EmployeeObjectionForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}))
    claimed = _amount(_("Amount you say is due (yuan)"))


class EmployeeAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer with reasons"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3})
    )
    corrected_wages = _amount(_("Corrected wages (yuan), if you agree"))
    corrected_other = _amount(_("Corrected social insurance and compensation (yuan), if you agree"))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResolutionForm(forms.Form):
    basis = forms.ChoiceField(label=_("Resolved by"), choices=ResolutionBasis.choices)
    reference = forms.CharField(label=_("Case number of the ruling or judgment"), max_length=100)
    resolved_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    nature = forms.ChoiceField(label=_("Confirmed nature"), choices=ClaimNature.choices)
    principal = _amount(_("Principal confirmed (yuan)"))
    interest = _amount(_("Interest confirmed (yuan)"))
    penalties = _amount(_("Penalties confirmed (yuan)"))
    costs = _amount(_("Costs confirmed (yuan)"))


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20)


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(label=_("You are"), choices=CreditorKind.choices)
    identifier = forms.CharField(
        label=_("Identity number or credit code"),
        max_length=18,
        help_text=_("Resident identity number (natural person) or unified social credit code (organisation)."),
    )
    full_name = forms.CharField(label=_("Name as on the identity document or licence"), max_length=100)
    phone = forms.CharField(max_length=20, widget=forms.HiddenInput)
    challenge = forms.UUIDField(widget=forms.HiddenInput)
    code = forms.CharField(label=_("Code received by SMS"), max_length=6, min_length=6)
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    password = forms.CharField(label=_("Password"), max_length=128, widget=forms.PasswordInput)


class PowerOfAttorneyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Power of attorney"), choices=[("accept", _("Accept")), ("reject", _("Reject"))]
    )
    note = forms.CharField(label=_("Note (required to reject)"), max_length=MAX_REASON, required=False)
