"""Form fields every app shares: amounts in won."""

from django.utils.translation import gettext_lazy as _

from .money import MoneyField, MoneyInput


class WonInput(MoneyInput):
    """The one amount input (``portal.money.MoneyInput``): empty instead of 0, separators and
    the readable amount as the user types (``static/js/money.js``)."""


class WonField(MoneyField):
    """An integer number of won typed with or without thousands separators ("50,000,000",
    "50000000원"), in any width ("５０，０００"; see ``portal.numbers``); negative, fractional,
    superscript ("²") or larger than 1조 원 amounts are refused. ``portal.money.MoneyField``
    with the messages the plan and company forms have always given."""

    widget = WonInput
    default_error_messages = {
        "invalid": _("Enter an amount in won with digits only, such as 50,000,000."),
        "negative": _("An amount cannot be negative."),
        "too_large": _("An amount may be at most 1,000,000,000,000 won."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", WonInput)
        super().__init__(**kwargs)
