"""Forms of the evaluation pages (input shape only; the actions decide)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smartcourt.core.forms import StrictDecimalField
from smartcourt.evaluation.choices import DEDUCTIBLE, Measure


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class FormulaForm(forms.Form):
    """A new formula version: one weight per deductible measure, the answer window, the explanation."""

    answer_within_hours = forms.IntegerField(label=_("Answer window (hours)"), min_value=1, max_value=24 * 90)
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args: Any, initial_weights: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for measure in DEDUCTIBLE:
            self.fields[f"w_{measure.value}"] = StrictDecimalField(
                label=Measure(measure).label,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                initial=(initial_weights or {}).get(measure.value, "0"),
            )

    def weights(self) -> dict[str, str]:
        return {m.value: str(self.cleaned_data[f"w_{m.value}"]) for m in DEDUCTIBLE}
