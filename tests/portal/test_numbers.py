"""portal.numbers: the one normalisation of digit strings people type."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal import numbers

FULL_WIDTH = str.maketrans("0123456789,-", "０１２３４５６７８９，－")


@pytest.mark.parametrize(("typed", "expected"), [
    ("1248100998", "1248100998"),
    ("124-81-00998", "1248100998"),
    (" 124 81 00998 ", "1248100998"),
    ("１２４８１００９９８", "1248100998"),
    ("１２４－８１－００９９８", "1248100998"),
    ("124\u201081\u201000998", "1248100998"),  # the typographic hyphen of word processors
    ("124,8100998", "1248100998"),
])
def test_digits_of_a_typed_number(typed, expected):
    assert numbers.digits(typed) == expected


@pytest.mark.parametrize("typed", ["124810099²", "²", "½", "①", "Ⅻ", "12a", "١٢٣", "", "--",
                                   "12.5", "1\x002"])
def test_digits_refuses_anything_else(typed):
    with pytest.raises(numbers.NotANumber):
        numbers.digits(typed)


@pytest.mark.parametrize(("typed", "expected"), [
    ("50,000,000", 50_000_000), ("50000000원", 50_000_000), ("KRW 1,000", 1_000),
    ("krw1000", 1_000), ("₩1,000", 1_000), ("５０，０００，０００", 50_000_000),
    ("３０ ０００ ０００원", 30_000_000), ("-5,000", -5_000), ("−5,000", -5_000), ("0", 0),
])
def test_amount_of_a_typed_figure(typed, expected):
    assert numbers.amount(typed) == expected


@pytest.mark.parametrize("typed", ["1,000²", "12만원", "12.5", "abc", "", "-", "1-000", "1e3"])
def test_amount_refuses_anything_else(typed):
    with pytest.raises(numbers.NotANumber):
        numbers.amount(typed)


@pytest.mark.parametrize(("typed", "expected"), [
    ("054-123-4567", "054-123-4567"), ("(054) 123.4567", "054-123-4567"),
    ("（０５４） １２３－４５６７", "054-123-4567"), ("+82 54 123 4567", "+82-54-123-4567"),
    ("1588-1234", "1588-1234"), ("01012345678", "01012345678"),
])
def test_phone_number_keeps_its_groups(typed, expected):
    assert numbers.phone_number(typed) == expected


@pytest.mark.parametrize("typed", ["054-123-4567²", "054-123-456a", "123", "0" * 16,
                                   "054+123", "٠٥٤١٢٣٤٥٦٧"])
def test_phone_number_refuses_anything_else(typed):
    with pytest.raises(numbers.NotANumber):
        numbers.phone_number(typed)


@given(st.from_regex(r"\A[0-9]{1,15}\Z"))
def test_full_width_digits_are_the_ascii_number(number):
    assert numbers.digits(number.translate(FULL_WIDTH)) == number
    assert numbers.amount(f"{int(number):,}".translate(FULL_WIDTH)) == int(number)


@given(st.text(alphabet=st.characters(categories=["No", "Nl"]), min_size=1, max_size=3))
def test_number_characters_that_are_not_digits_are_refused(text):
    with pytest.raises(numbers.NotANumber):
        numbers.digits("12" + text)
