"""Where the user was going (issue 11, point 3), in Chromium: a visitor presses 신청하기 on an
announcement, signs up from the sign-in page, confirms the address from the email and signs in
for the first time: the portal lands on the form that starts the application (the company's
registration first, which then leads to the application). The header greets by name."""

import re

from django.core import mail
from playwright.sync_api import expect

from programs.models import Announcement

NEW_PASSWORD = "green-kettle-harbour-42"


def test_apply_then_sign_up_verify_and_first_sign_in_lands_on_the_form(demo, live_url, page):
    announcement = Announcement.objects.get(call__code="2025-GB")
    page.goto(f"{live_url}/announcements/{announcement.pk}/")
    page.click("#apply-button")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_role("link", name="계정이 없으신가요? 회원가입하기").click()
    expect(page.locator("h1")).to_have_text("회원가입")
    page.fill("#id_email", "ceo@cheongsong-food.test")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.fill("#id_full_name", "박청송")
    page.check("#id_consent_personal_information")
    page.screenshot(path="/tmp/a-shot-signup.png", full_page=True)
    page.click("#signup-button")
    expect(page.locator("#verification-sent")).to_contain_text("링크가 담긴 이메일을 보냈습니다")
    (message,) = [m for m in mail.outbox if m.to == ["ceo@cheongsong-food.test"]]
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body)[1]
    page.goto(live_url + path)
    page.click("#confirm-button")
    # Confirmed: signing in for the first time goes on to the application.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.fill("#id_login", "ceo@cheongsong-food.test")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("#login-button")
    expect(page).to_have_url(
        f"{live_url}/company/new/?next=/applications/start/{announcement.call_id}/")
    expect(page.locator("#greeting")).to_have_text("박청송 님")
    expect(page.locator("#id_name")).to_be_visible()
