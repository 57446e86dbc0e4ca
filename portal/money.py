"""The one widget and form field for every amount in won (business plans, clusters' parts,
the admin, agreements later).

``MoneyInput`` starts empty rather than showing ``0``, shows a saved amount with thousands
separators (``30,000,000``), and carries ``data-money`` for ``static/js/money.js``, which
groups the digits as they are typed, takes pasted ``30,000,000``, ``30000000원`` or full-width
digits, shows the readable amount beside (``3,000만 원``) and sends the integer's digits.
``MoneyField`` parses whatever arrives with ``portal.numbers.amount`` (separators, any width,
``원``), so a browser without JavaScript gives the same integer; what cannot be read, a
negative amount or one above 1조 원 is refused with its own message and the text is kept.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import numbers
from portal.numbers import MAX_WON  # 1조 원: the largest amount any form takes


class MoneyInput(forms.TextInput):
    """A text input for an amount in won (not ``type=number``: it would refuse separators)."""

    def __init__(self, attrs=None, *, negative=False):
        attrs = {"inputmode": "numeric", "autocomplete": "off", "data-money": "",
                 "maxlength": "30", "class": "text-end", **(attrs or {})}
        if negative:
            attrs["data-money-negative"] = ""
        super().__init__(attrs)

    def format_value(self, value):
        """An amount shown as ``30,000,000``; a 0 that nobody typed (a model's default, an
        unbound form) as an empty field, so typing does not append to it. What the user typed
        comes back as a string and is shown as typed."""
        if isinstance(value, bool):
            return super().format_value(value)
        if isinstance(value, int):
            return None if value == 0 else f"{value:,}"
        return super().format_value(value)


class MoneyField(forms.Field):
    """An integer number of won. Empty gives ``empty_value`` (None, or 0 where the model stores
    0 for nothing); ``allow_negative`` for the few amounts whose sign is checked elsewhere."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": _("Write the amount in won with digits, such as 30,000,000: correct it, "
                     "please."),
        "negative": _("An amount of money cannot be below zero: correct it, please."),
        "too_large": _("An amount may be at most 1,000,000,000,000 won (1조 원): correct it, "
                       "please."),
    }

    def __init__(self, *, allow_negative=False, empty_value=None, max_value=MAX_WON, **kwargs):
        self.allow_negative = allow_negative
        self.empty_value = empty_value
        self.max_value = max_value
        kwargs.setdefault("widget", MoneyInput(negative=allow_negative))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return self.empty_value
        try:
            amount = numbers.amount(value)
        except numbers.NotANumber:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount < 0 and not self.allow_negative:
            raise ValidationError(self.error_messages["negative"], code="negative")
        if self.max_value is not None and abs(amount) > self.max_value:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return amount

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


def parse_money(value) -> int | None:
    """The amount in ``value``, or None when it is not one (a live preview's reading)."""
    try:
        return MoneyField(required=False).clean(value)
    except ValidationError:
        return None
