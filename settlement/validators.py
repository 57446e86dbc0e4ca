"""The checks of a tax invoice as typed (DOMAIN.md §10): the 24-digit approval number, the
supplier's registration number with its check digit (``companies.validators``), and the VAT,
10% of the supply amount within 1 won unless the invoice is zero-rated."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import numbers

APPROVAL_DIGITS = 24


def normalise_approval_number(value: str) -> str:
    """``20250301-41000012-34567890`` (hyphens, spaces, any width) → its 24 digits; refused
    with its own message when it has letters or the wrong number of digits."""
    try:
        digits = numbers.digits(value)
    except numbers.NotANumber:
        raise ValidationError(
            _("An approval number has digits only (hyphens are allowed): correct it, "
              "please."), code="not_digits") from None
    if len(digits) != APPROVAL_DIGITS:
        raise ValidationError(
            _("An approval number has 24 digits; this one has %(count)d."),
            code="length", params={"count": len(digits)})
    return digits


def vat_problem(supply_amount: int, vat: int, zero_rated: bool):
    """The message for a VAT that does not fit the supply amount, or None."""
    if zero_rated:
        if vat != 0:
            return _("A zero-rated invoice has no VAT: write 0, please.")
        return None
    if abs(vat * 10 - supply_amount) > 10:
        return _("VAT is 10%% of the supply amount (%(expected)s won, within 1 won); "
                 "%(vat)s won was written.") % {"expected": f"{supply_amount // 10:,}",
                                                    "vat": f"{vat:,}"}
    return None
