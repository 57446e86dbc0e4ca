"""A visitor mistypes an address on the production site (DEBUG off): the portal's own Korean
404 page, in the site's frame, with a way back to the home page."""

import re

from playwright.sync_api import expect


def test_a_404_in_production_mode_is_the_portals_korean_page(settings, live_url, page):
    settings.DEBUG = False
    response = page.goto(f"{live_url}/announcements/no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("페이지를 찾을 수 없습니다")
    expect(page.locator("main .lead")).to_have_text(
        "요청하신 페이지가 없거나, 이 계정으로는 볼 수 없는 페이지입니다. 주소를 확인하시거나 "
        "첫 화면에서 다시 찾아 주십시오.")
    expect(page).to_have_title("페이지를 찾을 수 없습니다 · 중소벤처기업부")
    page.screenshot(path="/tmp/a-shot-404.png")
    page.get_by_role("link", name="첫 화면으로 가기").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_have_text("스마트공장 지원사업")
