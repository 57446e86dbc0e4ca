"""Amounts in won, readable amounts, rates, time left and dates in Asia/Seoul."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from portal.templatetags.portal_tags import percent, time_left, tr, won, won_readable
from programs.models import Region


@pytest.mark.parametrize(("amount", "korean", "english"), [
    (4_000_000_000, "4,000,000,000원", "KRW 4,000,000,000"),
    (5_750_000_000, "5,750,000,000원", "KRW 5,750,000,000"),
    (16_450_000_000, "16,450,000,000원", "KRW 16,450,000,000"),
    (40_000_000, "40,000,000원", "KRW 40,000,000"),
    (0, "0원", "KRW 0"),
    (None, "—", "—"),
])
def test_won_groups_digits_in_both_languages(amount, korean, english):
    with translation.override("ko"):
        assert won(amount) == korean
    with translation.override("en"):
        assert won(amount) == english


@pytest.mark.parametrize(("amount", "korean", "english"), [
    (4_000_000_000, "40억 원", "4 billion won"),
    (5_750_000_000, "57억 5,000만 원", "5.75 billion won"),
    (6_700_000_000, "67억 원", "6.7 billion won"),
    (16_450_000_000, "164억 5,000만 원", "16.45 billion won"),
    (40_000_000, "4,000만 원", "40 million won"),
    (123_456_789, "1억 2,345만 6,789 원", "123.457 million won"),
    (1_000_000_000_000, "1조 원", "1 trillion won"),
    (999, "999 원", "999 won"),
    (0, "0 원", "0 won"),
])
def test_won_readable_in_both_languages(amount, korean, english):
    with translation.override("ko"):
        assert won_readable(amount) == korean
    with translation.override("en"):
        assert won_readable(amount) == english


def test_won_filters_in_a_template():
    template = Template("{{ a|won }} ({{ a|won_readable }})")
    with translation.override("ko"):
        assert template.render(Context({"a": 4_000_000_000})) == "4,000,000,000원 (40억 원)"


@pytest.mark.parametrize(("rate", "text"), [
    (Decimal("0.5"), "50%"), (Decimal("0.1500"), "15%"), (Decimal("0.125"), "12.5%"),
    (Decimal("1"), "100%"), (None, ""),
])
def test_percent_of_a_rate(rate, text):
    assert percent(rate) == text


def test_time_left_in_days_and_hours():
    deadline = timezone.now() + timedelta(days=3, hours=5, minutes=30)
    with translation.override("ko"):
        assert time_left(deadline) == "3일 5시간 남음"
    with translation.override("en"):
        assert time_left(deadline) == "3 days 5 h left"


def test_time_left_under_a_day_in_hours_and_minutes():
    deadline = timezone.now() + timedelta(hours=2, minutes=15, seconds=30)
    with translation.override("ko"):
        assert time_left(deadline) == "2시간 15분 남음"


def test_time_left_empty_when_past():
    assert time_left(timezone.now() - timedelta(seconds=1)) == ""


def test_aware_datetime_renders_in_korea_time():
    # 2025-08-14 05:00 UTC is 14:00 in Seoul (UTC+9, no daylight saving).
    moment = datetime(2025, 8, 14, 5, 0, tzinfo=UTC)
    rendered = Template('{{ moment|date:"Y-m-d H:i T" }}').render(Context({"moment": moment}))
    assert rendered == "2025-08-14 14:00 KST"


def test_active_time_zone_is_asia_seoul(settings):
    assert (settings.TIME_ZONE, timezone.get_current_timezone_name()) == (
        "Asia/Seoul", "Asia/Seoul")


def test_tr_picks_english_when_active_and_filled():
    region = Region(name="전북특별자치도", name_en="Jeonbuk", agency="전북테크노파크")
    with translation.override("en"):
        assert (tr(region, "name"), tr(region, "agency")) == ("Jeonbuk", "전북테크노파크")
    with translation.override("ko"):
        assert tr(region, "name") == "전북특별자치도"
    assert tr(None, "name") == ""
