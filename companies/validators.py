"""The business registration number (사업자등록번호) check of DOMAIN.md §4."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import numbers
from portal.numbers import format_registration_number, normalise_registration_number

__all__ = ["format_registration_number", "normalise_registration_number",
           "registration_number_is_valid", "validate_registration_number"]

WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def registration_number_is_valid(digits: str) -> bool:
    if len(digits) != 10 or not numbers.is_ascii_digits(digits):
        return False
    d = [int(c) for c in digits]
    total = sum(di * wi for di, wi in zip(d, WEIGHTS, strict=False)) + (d[8] * 5) // 10
    return d[9] == (10 - total % 10) % 10


def validate_registration_number(value: str) -> None:
    try:
        digits = numbers.digits(value)
    except numbers.NotANumber:
        raise ValidationError(
            _("A business registration number has digits only (hyphens are allowed)."),
            code="not_digits",
        ) from None
    if len(digits) != 10:
        raise ValidationError(
            _("A business registration number has 10 digits; this one has %(count)d."),
            code="length", params={"count": len(digits)},
        )
    if not registration_number_is_valid(digits):
        raise ValidationError(
            _("This business registration number is not valid: its check digit does not "
              "match."),
            code="check_digit",
        )
