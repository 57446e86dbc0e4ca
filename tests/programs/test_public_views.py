"""The public announcement pages: list filters, detail key facts, Apply button, Atom feed."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from programs.models import Announcement, Call
from tests.factories.programs import AnnouncementFactory
from tests.programs.html import text_by_id

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def listed_codes(query=""):
    response = Client().get(f"/announcements/?{query}")
    assert response.status_code == 200
    return [a.call.code for a in response.context["announcements"]]


@pytest.fixture
def statuses(demo):
    """Jeonnam opens next week, the cluster call closed yesterday; the others are open."""
    now = timezone.now()
    Call.objects.filter(code="2025-JN").update(opens_at=now + timedelta(days=7),
                                               closes_at=now + timedelta(days=30))
    Call.objects.filter(code="2025-CL").update(opens_at=now - timedelta(days=30),
                                               closes_at=now - timedelta(days=1))


def test_list_shows_every_published_announcement_newest_first(demo):
    AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True)
    assert listed_codes() == ["2025-CL", "2025-JB", "2025-JN", "2025-GB"]


@pytest.mark.parametrize(("query", "codes"), [
    ("region=JB", ["2025-JB"]),
    ("region=GB", ["2025-GB"]),
    ("sector=식품제조업", ["2025-JN", "2025-GB"]),
    ("sector=농생명바이오", ["2025-JB"]),
    ("programme=cluster-2025", ["2025-CL"]),
    ("programme=regional-2025", ["2025-JB", "2025-JN", "2025-GB"]),
    ("programme=regional-2025&sector=식품제조업&region=JN", ["2025-JN"]),
    ("q=HACCP", ["2025-JN"]),
    ("q=클러스터", ["2025-CL"]),
    ("q=Jeonbuk", ["2025-JB"]),
    ("q=전라남도", ["2025-JN"]),
    ("q=없는검색어", []),
    ("q=++", ["2025-CL", "2025-JB", "2025-JN", "2025-GB"]),
])
def test_list_filters_give_exact_results(demo, query, codes):
    assert listed_codes(query) == codes


@pytest.mark.parametrize(("status", "codes"), [
    ("open", ["2025-JB", "2025-GB"]),
    ("upcoming", ["2025-JN"]),
    ("closed", ["2025-CL"]),
    ("", ["2025-CL", "2025-JB", "2025-JN", "2025-GB"]),
])
def test_list_status_filter_gives_exact_results(statuses, status, codes):
    assert listed_codes(f"status={status}") == codes


def test_list_status_and_region_combine(statuses):
    assert listed_codes("status=open&region=JB") == ["2025-JB"]
    assert listed_codes("status=upcoming&region=JB") == []


def test_list_shows_status_badges(statuses):
    html = Client().get("/announcements/").content.decode()
    assert html.count('class="badge text-bg-success">접수 중</span>') == 2
    assert html.count('class="badge text-bg-info">접수 예정</span>') == 1
    assert html.count('class="badge text-bg-secondary">마감</span>') == 1


def test_filter_choices_labelled_in_the_active_language(demo):
    client = Client()
    form = client.get("/announcements/").context["filter"].form
    assert [label for _, label in form.fields["region"].choices] == [
        "전체 지역", "경상북도", "전북특별자치도", "전라남도"]
    assert [label for _, label in form.fields["sector"].choices] == [
        "전체 분야", "농생명바이오", "식품제조업", "제조업"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    form = client.get("/announcements/").context["filter"].form
    assert [label for _, label in form.fields["region"].choices] == [
        "All regions", "Gyeongbuk", "Jeonbuk", "Jeonnam"]
    assert [label for _, label in form.fields["sector"].choices] == [
        "All sectors", "Agricultural life bio", "Food manufacturing", "Manufacturing"]


def test_list_pages_by_twenty(demo):
    gb = Call.objects.get(code="2025-GB")
    AnnouncementFactory.create_batch(20, call=gb)
    first = Client().get("/announcements/?region=GB")
    second = Client().get("/announcements/?region=GB&page=2")
    assert (len(first.context["announcements"]), len(second.context["announcements"])) == (
        20, 1)
    assert 'href="?region=GB&amp;page=2"' in first.content.decode()


def test_detail_key_facts_of_jeonbuk(demo):
    announcement = Announcement.objects.get(call__code="2025-JB")
    html = Client().get(f"/announcements/{announcement.pk}/").content.decode()
    call = announcement.call
    window = (f"{timezone.localtime(call.opens_at):%Y-%m-%d %H:%M} – "
              f"{timezone.localtime(call.closes_at):%Y-%m-%d %H:%M} (한국 시간)")
    assert text_by_id(html, "total-budget") == "6,700,000,000원 (67억 원)"
    assert text_by_id(html, "budget-lines") == (
        "국비(중기부): 2,000,000,000원 (20억 원) | 도비: 2,350,000,000원 (23억 5,000만 원) | "
        "시·군비: 2,350,000,000원 (23억 5,000만 원)")
    assert text_by_id(html, "target-total") == "35"
    assert text_by_id(html, "track-1") == (
        "고도화(농식품): 목표 20개사 사업비 최대 400,000,000원 "
        "국비(중기부) 50% (최대 200,000,000원) · 도비 20% (최대 80,000,000원)")
    assert text_by_id(html, "track-2") == (
        "기초: 목표 15개사 사업비 최대 100,000,000원 도비 30% · 시·군비 30% "
        "지원금 합계 최대 70,000,000원")
    assert text_by_id(html, "window").startswith(window)
    assert text_by_id(html, "time-left").endswith("시간 남음")
    assert text_by_id(html, "contact") == "전북테크노파크 063-000-1003 smartfactory@jbtp.example.kr"
    assert text_by_id(html, "linked-programmes") == (
        "기술사업화 | 신제품 개발 | 마케팅 | 수출 인증 | 스마트 HACCP 교육·컨설팅")
    assert text_by_id(html, "events") is None
    assert text_by_id(html, "apply-button") == "신청하기"


def test_detail_key_facts_of_jeonnam_and_gyeongbuk(demo):
    client = Client()
    jn = Announcement.objects.get(call__code="2025-JN")
    html = client.get(f"/announcements/{jn.pk}/").content.decode()
    assert text_by_id(html, "total-budget") == "5,750,000,000원 (57억 5,000만 원)"
    assert text_by_id(html, "target-total") == "45"
    assert text_by_id(html, "target-split") == "스마트공장 40개사 + 로봇·장비 5개사"
    assert text_by_id(html, "track-3") == (
        "제조 로봇·장비: 목표 5개사 사업비 최대 200,000,000원 도비 25% · 시·군비 25% "
        "지원금 합계 최대 100,000,000원")
    assert text_by_id(html, "linked-programmes") == "제조 로봇·장비 지원"
    gb = Announcement.objects.get(call__code="2025-GB")
    html = client.get(f"/announcements/{gb.pk}/").content.decode()
    assert text_by_id(html, "total-budget") == "4,000,000,000원 (40억 원)"
    assert text_by_id(html, "target-total") == "50"
    assert text_by_id(html, "target-split") is None
    assert text_by_id(html, "track-1") == (
        "고도화: 목표 10개사 사업비 최대 400,000,000원 "
        "국비(중기부) 50% (최대 200,000,000원) · 도비 15% · 시·군비 15%")


def test_detail_key_facts_of_the_cluster_call(demo):
    announcement = Announcement.objects.get(call__code="2025-CL")
    html = Client().get(f"/announcements/{announcement.pk}/").content.decode()
    assert text_by_id(html, "total-budget") == "3,000,000,000원 (30억 원)"
    assert text_by_id(html, "budget-lines") == "국비(중기부): 3,000,000,000원 (30억 원)"
    assert text_by_id(html, "target-total") is None
    assert text_by_id(html, "track-1") == (
        "클러스터 참여기업: 예산 범위 내 국비(중기부) 50% (최대 40,000,000원) "
        "지원금 합계 최대 40,000,000원 5개 기업 이상 클러스터")
    assert text_by_id(html, "contact") == "중소벤처기업부"
    assert text_by_id(html, "events") == (
        "2025-08-14 14:00 사업 설명회 — 대한상공회의소 본관(서울) 종료")


def test_an_event_still_to_come_is_not_marked_ended_and_bounds_the_page_cache(demo):
    from programs.views import AnnouncementDetailView

    announcement = Announcement.objects.get(call__code="2025-CL")
    event = announcement.call.events.get()
    event.starts_at = timezone.now() + timedelta(seconds=60)
    event.save()
    response = Client().get(f"/announcements/{announcement.pk}/")

    assert "종료" not in text_by_id(response.content.decode(), "events")
    view = AnnouncementDetailView()
    view.object = response.context["announcement"]
    assert view.page_timeout() <= 60  # cached no longer than until the event starts


def test_detail_in_english(demo):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    announcement = Announcement.objects.get(call__code="2025-JB")
    html = client.get(f"/announcements/{announcement.pk}/").content.decode()
    assert text_by_id(html, "total-budget") == "KRW 6,700,000,000 (6.7 billion won)"
    assert text_by_id(html, "track-1") == (
        "Advanced (agri-food): target 20 companies Project cost up to KRW 400,000,000 "
        "National (MSS) 50% (up to KRW 200,000,000) · Provincial 20% (up to KRW 80,000,000)")
    assert text_by_id(html, "contact") == (
        "Jeonbuk Technopark 063-000-1003 smartfactory@jbtp.example.kr")
    assert text_by_id(html, "apply-button") == "Apply"
    assert "<h2>Overview</h2>" in html


def test_detail_of_closed_and_upcoming_calls_has_no_apply_button(statuses):
    client = Client()
    closed = Announcement.objects.get(call__code="2025-CL")
    upcoming = Announcement.objects.get(call__code="2025-JN")
    closed_html = client.get(f"/announcements/{closed.pk}/").content.decode()
    upcoming_html = client.get(f"/announcements/{upcoming.pk}/").content.decode()
    assert text_by_id(closed_html, "apply-button") is None
    assert "접수가 마감되었습니다" in closed_html
    assert text_by_id(upcoming_html, "apply-button") is None
    assert text_by_id(upcoming_html, "time-left") is None


def test_detail_body_is_sanitised(demo):
    announcement = AnnouncementFactory(
        call=Call.objects.get(code="2025-GB"),
        body='## 안내\n\n<script>alert("x")</script><img src=x onerror="alert(1)">'
             '<a href="javascript:alert(2)" onclick="steal()">링크</a> [또](javascript:alert(3))',
    )
    html = Client().get(f"/announcements/{announcement.pk}/").content.decode()
    body = html.split('<div class="markdown-body">')[1].split("</div>")[0]
    assert body == (
        '<h2>안내</h2>\n\n<p><a rel="noopener noreferrer nofollow">링크</a> '
        '<a rel="noopener noreferrer nofollow">또</a></p>')
    assert "<script" not in html.split("</head>")[1].replace('<script src="', "")
    assert "onerror" not in html and "onclick" not in html and "javascript:" not in html


def test_apply_button_sends_anonymous_visitor_to_sign_in(demo):
    announcement = Announcement.objects.get(call__code="2025-JB")
    response = Client().get(f"/announcements/{announcement.pk}/apply/")
    assert (response.status_code, response["Location"]) == (
        302, f"/accounts/login/?next=/announcements/{announcement.pk}/apply/")


def test_feed_lists_published_announcements_as_atom(demo):
    AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True, title="초안")
    response = Client().get("/announcements/feed/")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "스마트공장 지원사업 공고"
    entries = feed.findall(f"{ATOM}entry")
    by_pk = {a.call.code: a.pk for a in Announcement.objects.published()}
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "2025년 스마트공장 클러스터 지원사업 공고",
        "2025년 전북특별자치도 지역특화 스마트공장 구축지원사업 공고",
        "2025년 전라남도 지역특화 스마트공장 구축지원사업 공고",
        "2025년 경상북도 지역특화 스마트공장 구축지원사업 공고",
    ]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        f"http://127.0.0.1:8000/announcements/{by_pk[code]}/"
        for code in ("2025-CL", "2025-JB", "2025-JN", "2025-GB")]
    assert entries[1].findtext(f"{ATOM}summary") == (
        "전북특별자치도 · 농생명바이오 · 2025년 전북특별자치도 지역특화 스마트공장 구축지원사업")
    assert entries[0].findtext(f"{ATOM}summary") == (
        "전국 · 제조업 · 2025년 스마트공장 클러스터 지원사업")
    published = Announcement.objects.get(call__code="2025-CL").published_at
    assert entries[0].findtext(f"{ATOM}published") == published.isoformat()


def test_list_page_links_the_feed(demo):
    html = Client().get("/announcements/").content.decode()
    assert ('<link rel="alternate" type="application/atom+xml" '
            'title="스마트공장 지원사업 공고" href="/announcements/feed/">') in html


def test_home_shows_latest_announcements(demo):
    response = Client().get("/")
    assert [a.call.code for a in response.context["announcements"]] == [
        "2025-CL", "2025-JB", "2025-JN", "2025-GB"]


def test_an_unknown_region_is_refused_in_korean_and_the_search_is_kept(demo):
    html = Client().get("/announcements/?region=XX&q=스마트").content.decode()
    assert ('<div id="id_region_error" class="invalid-feedback"><p id="error_1_id_region">'
            '<strong>올바르게 선택해 주세요. XX 이/가 선택가능항목에 없습니다.</strong></p></div>'
            in html)
    assert 'name="q" value="스마트"' in html
