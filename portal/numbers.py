"""Numbers people type: one normalisation for every digit string the portal takes (business
registration numbers, amounts in won, phone numbers), applied before validation and before
any uniqueness check.

* Unicode NFKC folds full-width forms to ASCII: ``１２４８１００９９８`` is ``1248100998``,
  ``１２，０００`` is ``12,000``, ``－`` is ``-``.
* Characters that are numbers without being decimal digits — superscripts (``²``), fractions
  (``½``), circled (``①``) or Roman numerals (``Ⅻ``) — are refused *before* folding, since NFKC
  would silently turn ``²`` into ``2``.
* Then spaces, hyphens (any dash) and commas are removed, and what is left must be ASCII
  digits (``str.isdigit`` alone accepts ``²``, which ``int`` then refuses).

Every function raises ``NotANumber`` (a ``ValueError``) for anything else; the form fields
turn it into their own translated message.
"""

from __future__ import annotations

import re
import unicodedata

MAX_WON = 1_000_000_000_000  # 1조 원: the largest amount any form or model accepts

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SEPARATORS = re.compile(rf"[\s,{re.escape(DASHES)}]")
_PHONE = re.compile(rf"\+?[\d\s.(){re.escape(DASHES)}]+")
_PHONE_DIGITS = re.compile(r"\d+")


class NotANumber(ValueError):
    """The text is not a number of the kind asked for."""


def fold(value) -> str:
    """``value`` as text in NFKC with its surrounding whitespace removed; NotANumber when it
    holds a number character that is not a decimal digit (², ½, ①, Ⅻ)."""
    text = "" if value is None else str(value)
    if any(char.isnumeric() and not char.isdecimal() for char in text):
        raise NotANumber(text)
    return unicodedata.normalize("NFKC", text).strip()


def is_ascii_digits(text: str) -> bool:
    return bool(text) and text.isascii() and text.isdigit()


def digits(value) -> str:
    """The ASCII digits of a digit string typed with spaces, hyphens or commas, in any width:
    ``１２４-８１-００９９８`` → ``1248100998``."""
    text = _SEPARATORS.sub("", fold(value))
    if not is_ascii_digits(text):
        raise NotANumber(value)
    return text


def amount(value) -> int:
    """An integer amount: digits of any width with thousands separators (commas, spaces), an
    optional currency mark (``원`` after, ``₩`` or ``KRW`` before) and an optional minus sign
    (the caller decides whether a negative amount is allowed)."""
    text = re.sub(r"[\s,]", "", fold(value))
    text = text.removesuffix("원")
    if text.upper().startswith("KRW"):
        text = text[3:]
    text = text.removeprefix("₩")
    negative = bool(text) and text[0] in DASHES
    if negative:
        text = text[1:]
    if not is_ascii_digits(text):
        raise NotANumber(value)
    return -int(text) if negative else int(text)


def phone_number(value, *, min_digits=7, max_digits=15) -> str:
    """A phone number: digits of any width in groups separated by spaces, hyphens, dots or
    brackets, with an optional leading ``+``; kept as its groups joined by hyphens
    (``(054) 123．4567`` → ``054-123-4567``)."""
    text = fold(value)
    if not _PHONE.fullmatch(text):
        raise NotANumber(value)
    groups = _PHONE_DIGITS.findall(text)
    count = sum(len(group) for group in groups)
    if not min_digits <= count <= max_digits or not all(map(is_ascii_digits, groups)):
        raise NotANumber(value)
    return ("+" if text.startswith("+") else "") + "-".join(groups)


# --- The business registration number (사업자등록번호; its check digit: companies.validators) --

def normalise_registration_number(value: str) -> str:
    """Digits only, through ``digits``: ``124-81-00998`` and ``１２４８１００９９８`` →
    ``1248100998``. Text that is no digit string comes back as typed (stripped), for
    ``validate_registration_number`` to refuse."""
    try:
        return digits(value)
    except NotANumber:
        return (value or "").strip()


def format_registration_number(value: str) -> str:
    """``1248100998`` → ``124-81-00998`` (how the number is always shown); text that is not
    ten digits comes back as ``normalise_registration_number`` gives it."""
    number = normalise_registration_number(value)
    if len(number) != 10:
        return number
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"
