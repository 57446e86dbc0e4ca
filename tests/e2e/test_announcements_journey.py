import re

from playwright.sync_api import expect

from accounts import demo as accounts_demo
from portal.demo import DEMO_PASSWORD, load_accounts
from tests.e2e.conftest import pass_two_factor
from tests.programs.files import pdf_bytes


def test_visitor_filters_to_jeonbuk_reads_key_facts_and_switches_to_english(demo, live_url,
                                                                             page):
    page.goto(f"{live_url}/announcements/")
    expect(page.locator("h1")).to_have_text("공고")

    page.select_option("#id_region", "JB")
    page.get_by_role("button", name="조회").click()
    cards = page.locator("#announcement-list a")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("전북특별자치도")

    cards.first.click()
    facts = page.locator("#key-facts")
    expect(facts.locator("#total-budget")).to_contain_text("6,700,000,000원")
    expect(facts.locator("#total-budget")).to_contain_text("67억 원")
    expect(facts.locator("#tracks")).to_contain_text("목표 20개사")
    expect(facts.locator("#tracks")).to_contain_text("목표 15개사")
    # 35 plants in all: 20 advanced + 15 basic.
    expect(page.locator("#target-total")).to_have_text("35")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Jeonbuk")
    expect(facts.locator("#total-budget")).to_contain_text("KRW 6,700,000,000")
    expect(page.locator("#target-total")).to_have_text("35")
    expect(page.get_by_role("link", name="Apply")).to_have_attribute(
        "href", re.compile(r"/announcements/\d+/apply/$"))


def test_gyeongbuk_operator_writes_previews_and_publishes_an_announcement(demo, live_url, page,
                                                                          browser):
    load_accounts()
    accounts_demo.load()  # their consent, as load_demo gives it
    page.goto(f"{live_url}/accounts/login/")
    login_form = page.locator("form:has(input[name=login])")
    login_form.locator("input[name=login]").fill("operator-gb@demo.smartfactory.kr")
    login_form.locator("input[name=password]").fill(DEMO_PASSWORD)
    login_form.locator("[type=submit]").first.click()
    pass_two_factor(page, "operator-gb@demo.smartfactory.kr")
    expect(page).to_have_url(f"{live_url}/dashboard/")

    page.get_by_role("link", name="공고 관리").first.click()
    expect(page.locator("h1")).to_have_text("공고 관리")
    page.get_by_role("link", name="새 공고").click()
    # A Gyeongbuk operator is offered the Gyeongbuk call only.
    expect(page.locator("#id_call option:not([value=''])")).to_have_text(
        ["2025년 경상북도 지역특화 스마트공장 구축지원사업"])
    page.select_option("#id_call", label="2025년 경상북도 지역특화 스마트공장 구축지원사업")
    page.fill("#id_title", "2025년 경북 식품 스마트공장 2차 모집 공고")
    page.fill("#id_body", "## 2차 모집\n\n**고도화** 분야 잔여 과제를 추가 모집합니다.")
    page.set_input_files("#id_attachments", files=[{
        "name": "2차모집공고.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.get_by_role("button", name="저장하고 미리보기").click()

    banner = page.locator("#preview-banner")
    expect(banner).to_contain_text("미리보기: 이 공고는 아직 공개되지 않았습니다.")
    expect(page.locator(".markdown-body strong")).to_have_text("고도화")
    expect(page.locator("#key-facts #total-budget")).to_contain_text("4,000,000,000원")
    expect(page.get_by_role("link", name="2차모집공고.pdf")).to_be_visible()

    banner.get_by_role("button", name="게시").click()
    expect(page.locator("#preview-banner")).to_contain_text(
        "미리보기: 이 공고는 게시되어 있습니다.")

    visitor = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul").new_page()
    try:
        visitor.goto(f"{live_url}/announcements/")
        visitor.select_option("#id_region", "GB")
        visitor.get_by_role("button", name="조회").click()
        cards = visitor.locator("#announcement-list a")
        expect(cards).to_have_count(2)
        expect(cards.first).to_contain_text("2025년 경북 식품 스마트공장 2차 모집 공고")
        cards.first.click()
        expect(visitor.locator("h1")).to_contain_text("2차 모집 공고")
        expect(visitor.locator("#apply-button")).to_have_text("신청하기")
    finally:
        visitor.context.close()
