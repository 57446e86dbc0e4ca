"""The one money widget and field (portal/money.py): an empty start instead of 0, thousands
separators shown, pasted and full-width amounts taken, the integer returned, and every bad
input refused with its message and kept."""

import pytest
from django import forms
from django.utils import translation

from portal.money import MoneyField, MoneyInput, parse_money


class BudgetForm(forms.Form):
    cost = MoneyField(label="cost", required=False, empty_value=0)
    balance = MoneyField(label="balance", required=False, allow_negative=True)


@pytest.mark.parametrize(("typed", "expected"), [
    ("30000000", 30_000_000),
    ("30,000,000", 30_000_000),
    ("30,000,000원", 30_000_000),
    ("３０，０００，０００", 30_000_000),
    ("３００００００", 3_000_000),
    (" 30 000 000 ", 30_000_000),
    ("1,000,000,000,000", 1_000_000_000_000),
    ("", 0),
    ("   ", 0),
])
def test_money_field_takes_amounts_as_people_type_and_paste_them(typed, expected):
    form = BudgetForm({"cost": typed, "balance": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"cost": expected, "balance": None}


@pytest.mark.parametrize(("typed", "message"), [
    ("삼천만", "금액을 30,000,000처럼 숫자로 수정해 주십시오."),
    ("30.5", "금액을 30,000,000처럼 숫자로 수정해 주십시오."),
    ("3²", "금액을 30,000,000처럼 숫자로 수정해 주십시오."),
    ("-5,000", "금액은 0원보다 작을 수 없습니다. 수정해 주십시오."),
    ("1,000,000,000,001", "금액은 1,000,000,000,000원(1조 원)까지입니다. 수정해 주십시오."),
])
def test_money_field_refuses_with_a_korean_message_and_keeps_the_text(typed, message):
    with translation.override("ko"):
        form = BudgetForm({"cost": typed, "balance": ""})
        assert form.is_valid() is False
        assert form.errors == {"cost": [message]}
        html = str(form["cost"])
    assert f'value="{typed}"' in html


def test_money_field_allows_a_negative_amount_only_when_asked():
    form = BudgetForm({"cost": "0", "balance": "-12,000"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"cost": 0, "balance": -12_000}


def test_money_input_starts_empty_instead_of_zero_and_groups_a_saved_amount():
    assert str(BudgetForm(initial={"cost": 0})["cost"]) == (
        '<input type="text" name="cost" inputmode="numeric" autocomplete="off" data-money="" '
        'maxlength="30" class="text-end" id="id_cost">')
    assert 'value="30,000,000"' in str(BudgetForm(initial={"cost": 30_000_000})["cost"])
    assert 'data-money-negative' in str(BudgetForm()["balance"])
    # What the user typed is shown as typed, a 0 included.
    assert 'value="0"' in str(BudgetForm({"cost": "0"})["cost"])


def test_money_input_formats_values():
    widget = MoneyInput()
    assert widget.format_value(None) is None
    assert widget.format_value(0) is None
    assert widget.format_value(1234567) == "1,234,567"
    assert widget.format_value("1234") == "1234"


def test_money_field_has_changed_compares_amounts_not_text():
    field = MoneyField(required=False)
    assert field.has_changed(30_000_000, "30,000,000") is False
    assert field.has_changed(30_000_000, "３０，０００，０００") is False
    assert field.has_changed(30_000_000, "30,000,001") is True
    assert field.has_changed(0, "abc") is True


def test_parse_money():
    assert parse_money("30,000,000원") == 30_000_000
    assert parse_money("abc") is None
    assert parse_money("") is None
