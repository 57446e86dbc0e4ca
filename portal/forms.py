"""Form fields every app shares: amounts in won."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import numbers
from .numbers import MAX_WON


class WonInput(forms.TextInput):
    """An amount input showing ``50,000,000``; the browser keeps what the user typed."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off",
                          "class": "text-end", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return f"{value:,}"
        return super().format_value(value)


class WonField(forms.Field):
    """An integer number of won typed with or without thousands separators ("50,000,000",
    "50000000원"), in any width ("５０，０００"; see ``portal.numbers``); negative, fractional,
    superscript ("²") or larger than 1조 원 amounts are refused."""

    widget = WonInput
    default_error_messages = {
        "invalid": _("Enter an amount in won with digits only, such as 50,000,000."),
        "negative": _("An amount cannot be negative."),
        "too_large": _("An amount may be at most 1,000,000,000,000 won."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            amount = numbers.amount(value)
        except numbers.NotANumber:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount < 0:
            raise ValidationError(self.error_messages["negative"], code="negative")
        if amount > MAX_WON:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


def parse_won(value) -> int | None:
    """The amount in ``value`` or None when it is not a valid amount (the live preview)."""
    try:
        return WonField(required=False).clean(value)
    except ValidationError:
        return None
