"""The announcement cards of the home page and the public list (``announcement_cards`` tag):
the markup for each status and language, a nationwide call, and no announcement."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from programs.selectors import announcement_cards
from tests.factories.programs import AnnouncementFactory, CallFactory, RegionFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def render(announcements):
    return Template("{% load announcement_cards %}{% announcement_cards announcements %}"
                    ).render(Context({"announcements": announcements}))


def card(pk, title, badge, status, where, sector, window, opens, closes):
    return (f'<a class="list-group-item list-group-item-action" href="/announcements/{pk}/">'
            f'<div class="d-flex w-100 justify-content-between"><h3 class="h6 mb-1">{title}'
            f'</h3><span class="badge {badge}">{status}</span></div>'
            f'<div class="small text-muted">{where} · {sector} · {window} {opens} – {closes}'
            f'</div></a>')


def test_cards_show_title_status_region_sector_and_window_in_the_reader_language():
    region = RegionFactory(code="GB", name="경상북도", name_en="Gyeongbuk")
    upcoming = AnnouncementFactory(
        title="경북 공고 <2025>", title_en="Gyeongbuk call",
        call=CallFactory(region=region, opens_at=datetime(2099, 3, 2, 9, 0, tzinfo=SEOUL),
                         closes_at=datetime(2099, 3, 31, 18, 0, tzinfo=SEOUL)))
    closed = AnnouncementFactory(
        title="전국 공고", call=CallFactory(region=None,
                                        opens_at=datetime(2020, 1, 2, 9, 0, tzinfo=SEOUL),
                                        closes_at=datetime(2020, 1, 31, 18, 0, tzinfo=SEOUL)))
    shown = list(announcement_cards().filter(pk__in=[upcoming.pk, closed.pk]).order_by("pk"))
    with translation.override("ko"):
        assert render(shown) == (
            '<div class="list-group mb-3" id="announcement-list">'
            + card(upcoming.pk, "경북 공고 &lt;2025&gt;", "text-bg-info", "접수 예정", "경상북도",
                   "식품제조업", "접수 기간", "2099-03-02 09:00", "2099-03-31 18:00")
            + card(closed.pk, "전국 공고", "text-bg-secondary", "마감", "전국", "식품제조업",
                   "접수 기간", "2020-01-02 09:00", "2020-01-31 18:00")
            + "</div>")
    with translation.override("en"):
        assert render(shown[:1]) == (
            '<div class="list-group mb-3" id="announcement-list">'
            + card(upcoming.pk, "Gyeongbuk call", "text-bg-info", "Upcoming", "Gyeongbuk",
                   "Food manufacturing", "Application window", "2099-03-02 09:00",
                   "2099-03-31 18:00")
            + "</div>")


def test_an_open_call_is_marked_open():
    announcement = AnnouncementFactory()  # the factory's call opened yesterday
    with translation.override("en"):
        assert '<span class="badge text-bg-success">Open</span>' in render(
            list(announcement_cards().filter(pk=announcement.pk)))


def test_no_announcement_says_so():
    with translation.override("ko"):
        assert render([]) == ('<div class="list-group mb-3" id="announcement-list">'
                              '<p class="text-muted">조건에 맞는 공고가 없습니다.</p></div>')
