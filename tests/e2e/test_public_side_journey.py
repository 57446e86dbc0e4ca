"""The public side, end to end in Chromium: a company asks a private question on the Jeonnam
announcement, the Jeonnam operator answers it, the company reads the answer from its email and
on the page; a public question becomes an FAQ; a visitor saves an alert for 전북 and receives
one email when a Jeonbuk announcement is published, then unsubscribes from the link."""

import os
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from programs.models import Announcement, Call
from tests.e2e.conftest import sign_in
from tests.factories.applications import CompanyFactory, MembershipFactory
from tests.factories.portal import UserFactory
from tests.factories.programs import AnnouncementFactory

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def link_in(body, pattern):
    return re.search(pattern, body).group(0)


def test_questions_answers_faq_and_an_alert_with_its_unsubscribe_link(demo, browser, live_url,
                                                                      settings):
    settings.SITE_URL = live_url
    jeonnam = Announcement.objects.get(call__code="2025-JN")
    company = CompanyFactory(name="남도식품", region=jeonnam.call.region)
    MembershipFactory(company=company,
                      user=UserFactory(email="owner@namdo.test", full_name="남도 대표"))
    UserFactory(email="operator-jn@jn.test", region=jeonnam.call.region, full_name="전남 담당")
    UserFactory(email="operator-jb@jb.test", region=Call.objects.get(code="2025-JB").region)
    UserFactory(email="visitor@example.test", full_name="방문자")

    # The company asks a private question on the Jeonnam announcement.
    owner = sign_in(browser, live_url, "owner@namdo.test")
    owner.goto(f"{live_url}/announcements/{jeonnam.pk}/")
    expect(owner.locator("#questions")).to_contain_text("아직 답변한 문의가 없습니다.")
    shot(owner, "01-announcement-questions")
    owner.get_by_role("link", name="운영기관에 문의하기").click()
    expect(owner.locator("h1")).to_have_text("운영기관에 문의하기")
    owner.fill("#id_title", "로봇 장비 분야 자부담")
    owner.fill("#id_body", "로봇·장비 분야도 **현금 50%** 이상을 내야 하나요?")
    owner.get_by_label("비공개: 우리 기업, 운영기관, 중소벤처기업부만 볼 수 있습니다").check()
    shot(owner, "02-ask")
    owner.get_by_role("button", name="문의 보내기").click()
    expect(owner.locator("#awaiting-answer")).to_be_visible()
    expect(owner.locator("h1")).to_contain_text("비공개")
    private_url = owner.url

    # The Jeonnam operator finds it in the inbox and answers it.
    operator = sign_in(browser, live_url, "operator-jn@jn.test")
    expect(operator.locator("#dashboard-inquiries")).to_contain_text("답변을 기다리는 문의 1건")
    operator.get_by_role("link", name="문의 접수함").click()
    expect(operator.locator("#inbox tbody tr")).to_have_count(1)
    shot(operator, "03-inbox")
    operator.get_by_role("link", name="로봇 장비 분야 자부담").click()
    operator.fill("#id_answer",
                  "네. 로봇·장비 분야도 기업 부담금의 **50% 이상**을 현금으로 냅니다.")
    operator.get_by_role("button", name="답변 보내기").click()
    expect(operator.locator("#answer-body strong")).to_have_text("50% 이상")
    shot(operator, "04-answered")

    # The company reads the answer in its email, follows the link, and reads it on the page.
    (email,) = [m for m in mail.outbox if m.to == ["owner@namdo.test"]]
    assert email.subject == "“로봇 장비 분야 자부담” 문의에 답변이 등록되었습니다"
    assert "50% 이상**을 현금으로" in email.body
    owner.goto(link_in(email.body, re.escape(live_url) + r"/questions/\d+/"))
    assert owner.url == private_url
    expect(owner.locator("#answer-body")).to_contain_text("50% 이상을 현금으로 냅니다.")
    shot(owner, "05-answer-read")

    # A public question becomes an FAQ under the announcement.
    owner.goto(f"{live_url}/announcements/{jeonnam.pk}/questions/new/")
    owner.fill("#id_title", "설명회 자료")
    owner.fill("#id_body", "사업 설명회 자료를 받을 수 있나요?")
    owner.get_by_role("button", name="문의 보내기").click()
    expect(owner.locator("#awaiting-answer")).to_be_visible()
    operator.goto(f"{live_url}/manage/questions/?status=new")
    operator.get_by_role("link", name="설명회 자료").click()
    operator.fill("#id_answer", "공고 **첨부파일**로 게시합니다.")
    operator.get_by_role("button", name="답변 보내기").click()
    operator.get_by_role("button", name="공고 아래에 FAQ로 게시").click()
    expect(operator.locator("h1")).to_contain_text("FAQ")
    visitor_page = browser.new_context(locale="ko-KR").new_page()
    visitor_page.goto(f"{live_url}/announcements/{jeonnam.pk}/")
    faq = visitor_page.locator("#faq")
    expect(faq).to_contain_text("FAQ · 설명회 자료")
    expect(visitor_page.locator("#questions")).not_to_contain_text("로봇 장비 분야 자부담")
    faq.get_by_role("button").click()
    expect(faq.locator(".faq-answer strong")).to_have_text("첨부파일")
    shot(visitor_page, "06-faq")

    # A visitor saves an alert for 전북.
    visitor = sign_in(browser, live_url, "visitor@example.test")
    visitor.goto(f"{live_url}/announcements/")
    visitor.select_option("#id_region", "JB")
    visitor.get_by_role("button", name="조회").click()
    visitor.get_by_role("link", name="이 검색을 알림으로 저장").click()
    expect(visitor.locator("#alert-filters")).to_contain_text("전북특별자치도")
    shot(visitor, "07-save-alert")
    visitor.get_by_role("button", name="알림 저장").click()
    expect(visitor.locator("#alert-list")).to_contain_text("전북특별자치도")

    # The Jeonbuk operator publishes a Jeonbuk announcement: one email.
    draft = AnnouncementFactory(call=Call.objects.get(code="2025-JB"), draft=True,
                                title="2025년 전북 농생명바이오 스마트공장 추가 모집")
    AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True, title="경북 공고")
    jb_operator = sign_in(browser, live_url, "operator-jb@jb.test")
    jb_operator.goto(f"{live_url}/manage/announcements/{draft.pk}/preview/")
    jb_operator.get_by_role("button", name="게시").click()
    expect(jb_operator.locator("#preview-banner")).to_have_class(re.compile("alert-success"))
    alerts = [m for m in mail.outbox if m.to == ["visitor@example.test"]]
    assert [m.subject for m in alerts] == [
        "새 공고: 2025년 전북 농생명바이오 스마트공장 추가 모집"]
    unsubscribe = link_in(alerts[0].body, re.escape(live_url) + r"/alerts/unsubscribe/\S+/")
    assert alerts[0].extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"

    # ... and unsubscribes from the link, signed out.
    anonymous = browser.new_context(locale="ko-KR").new_page()
    anonymous.goto(unsubscribe)
    anonymous.get_by_role("button", name="수신 거부").click()
    expect(anonymous.locator("#unsubscribe-state")).to_contain_text(
        "알림을 수신 거부했습니다. 더 이상 이메일을 받지 않습니다.")
    shot(anonymous, "08-unsubscribed")
    anonymous.goto(unsubscribe)
    expect(anonymous.get_by_role("button", name="수신 거부")).to_have_count(0)
    expect(anonymous.locator("#unsubscribe-state")).to_have_attribute("data-state", "done")
