"""Forms of the case pages. They parse and validate input; the rules live in selectors and actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from smartcourt.accounts.choices import Role
from smartcourt.accounts.models import Organisation, User
from smartcourt.cases.choices import CaseStatus, CaseType, Composition
from smartcourt.cases.selectors import CaseFilters

# Newest first is what people look for; the sequence breaks ties between cases filed on the same day.
SORT_ORDERINGS: dict[str, tuple[str, ...]] = {
    "-filed": ("-filed_on", "-year", "-sequence"),
    "filed": ("filed_on", "year", "sequence"),
}
DEFAULT_SORT = "-filed"


class CaseFilterForm(forms.Form):
    """The search box and filters of the case list. Invalid values are ignored rather than refused, so a
    stale bookmark still shows a list."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Case number, title or party")}),
    )
    type = forms.ChoiceField(required=False, label=_("Case type"))
    status = forms.ChoiceField(required=False, label=_("Status"))
    court = forms.ChoiceField(required=False, label=_("Court"))
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Year"))
    sort = forms.ChoiceField(
        required=False,
        label=_("Filing date"),
        choices=[("-filed", _("Newest first")), ("filed", _("Oldest first"))],
    )

    def __init__(self, data: QueryDict, *, courts: list[tuple[str, str]], years: list[int], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["type"].choices = [("", _("All types")), *CaseType.choices]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("All statuses")), *CaseStatus.choices]  # type: ignore[attr-defined]
        self.fields["court"].choices = [("", _("All courts")), *courts]  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]

    def _valid(self) -> dict[str, Any]:
        # is_valid() fills cleaned_data with the fields that passed, which is all we use.
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}

    def filters(self) -> CaseFilters:
        data = self._valid()
        return CaseFilters(
            query=data.get("q", ""),
            case_type=data.get("type", ""),
            status=data.get("status", ""),
            court_code=data.get("court", ""),
            year=data.get("year"),
        )

    def ordering(self) -> tuple[str, ...]:
        return SORT_ORDERINGS[self._valid().get("sort", DEFAULT_SORT)]

    def query(self) -> QueryDict:
        """The valid, non-empty parameters: what the address bar and the page links carry."""
        query = QueryDict(mutable=True)
        for name, value in self._valid().items():
            if name == "sort" and value == DEFAULT_SORT:
                continue
            query[name] = str(value)
        return query


class StaffingForm(forms.Form):
    """The bench and assistants of a case (cases.staffing): the choices are the court's active staff."""

    composition = forms.ChoiceField(label=_("Composition"), choices=Composition.choices, widget=forms.RadioSelect)
    presiding_judge = forms.ModelChoiceField(label=_("Presiding judge"), queryset=User.objects.none(), empty_label=None)
    panel_judges = forms.ModelMultipleChoiceField(
        label=_("Other judges of the panel"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    assistant = forms.ModelChoiceField(label=_("Judge assistant"), queryset=User.objects.none(), required=False)
    clerk = forms.ModelChoiceField(label=_("Clerk"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, court: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(organisation=court, is_active=True).order_by("full_name")
        judges = staff.filter(role=Role.JUDGE)
        self.fields["presiding_judge"].queryset = judges  # type: ignore[attr-defined]
        self.fields["panel_judges"].queryset = judges  # type: ignore[attr-defined]
        self.fields["assistant"].queryset = staff.filter(role=Role.JUDGE_ASSISTANT)  # type: ignore[attr-defined]
        self.fields["clerk"].queryset = staff.filter(role__in=[Role.JUDGE_ASSISTANT, Role.FILING_CLERK])  # type: ignore[attr-defined]
