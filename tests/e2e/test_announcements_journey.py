import re

from playwright.sync_api import expect


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
