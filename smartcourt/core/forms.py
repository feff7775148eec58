"""Form fields every app's forms share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from smartcourt.core.errors import CoreError
from smartcourt.core.numbers import strict_decimal


class StrictDecimalField(forms.DecimalField):
    """Django's DecimalField read the way the platform reads every number (core/numbers.py).

    Django's own field calls ``Decimal(str(value))``, which takes the digits of every script (``١٢`` is 12) and
    exponents (``1e1``). Here full-width digits typed by a Chinese input method are folded, and anything else that
    is not a plain decimal is the field's "enter a number" error. The bounds and decimal places of DecimalField
    are checked after, as before."""

    # django-stubs declares DecimalField a subclass of IntegerField, whose to_python returns an int.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        parsed = strict_decimal(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code=CoreError.INVALID)
        return parsed
