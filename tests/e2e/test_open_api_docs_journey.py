"""The open API's interactive documentation in Chromium: Swagger UI from the vendored files
under the site's Content Security Policy, listing every endpoint and trying one out."""

import os

from playwright.sync_api import expect

SHOTS = os.environ.get("E2E_SCREENSHOTS", "")


def test_api_docs_list_every_endpoint_and_answer_a_request(demo, live_url, page):
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_url}/api/v1/docs/")
    expect(page.locator(".opblock-summary-path")).to_have_count(10)
    expect(page.locator(".info .title")).to_contain_text("open API")
    calls = page.locator(".opblock-summary-path", has_text="/api/v1/calls/").first
    calls.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody td.response-col_status").first
    expect(status).to_contain_text("200")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "09-api-docs.png"), full_page=False)
    assert [url for url in requested if not url.startswith(live_url)] == []
    assert blocked == []
