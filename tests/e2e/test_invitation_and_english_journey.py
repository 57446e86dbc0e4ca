"""Issue 11 items 3 and 8 in Chromium (axe-checked on every page): a cluster invitation opened
signed out names the lead company and the call and, after signing in, returns to the
invitation; an English visitor reads the supplier pool's terms in English."""

import re

from playwright.sync_api import expect

from companies.models import Company
from tests.e2e.conftest import pass_two_factor
from tests.factories.applications import CompanyFactory, MembershipFactory, SupplierFactory
from tests.factories.clusters import ClusterInvitationFactory
from tests.factories.portal import PASSWORD, UserFactory


def test_a_signed_out_invitation_names_the_cluster_and_returns_after_sign_in(demo, live_url,
                                                                            page):
    invited = CompanyFactory(name="바른젓갈")
    user = UserFactory(email="ceo@bareun.test")
    MembershipFactory(company=invited, user=user)
    invitation = ClusterInvitationFactory(email=user.email,
                                          registration_number=invited.registration_number)
    lead = invitation.cluster.lead_company

    page.goto(f"{live_url}/clusters/invitations/{invitation.token}/")
    expect(page.locator("#invitation-summary")).to_contain_text(lead.name)
    expect(page.locator("#invitation-call")).to_have_text(invitation.cluster.call.title)
    page.click("#invitation-login")
    form = page.locator("form:has(input[name=login])")
    form.locator("input[name=login]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").first.click()
    pass_two_factor(page, user.email)

    expect(page).to_have_url(re.compile(rf"/clusters/invitations/{invitation.token}/$"))
    page.click("#accept-invitation")
    expect(page).to_have_url(re.compile(rf"/clusters/{invitation.cluster_id}/part/$"))
    assert Company.objects.get(pk=invited.pk).cluster_memberships.count() == 1


def test_an_english_visitor_reads_the_pool_terms_in_english(demo, live_url, browser):
    SupplierFactory(name="한빛스마트솔루션", specialties="MES, 공정관리, 설비 모니터링",
                    industries="식품, 음료")
    context = browser.new_context(locale="en-US", timezone_id="Asia/Seoul")
    page = context.new_page()
    page.goto(f"{live_url}/suppliers/")  # the browser asks for English
    expect(page.locator("html")).to_have_attribute("lang", "en")

    expect(page.locator(".supplier-terms")).to_have_text(
        "MES, Process management, Equipment monitoring · Food, Beverages")
    page.get_by_role("link", name=re.compile("한빛스마트솔루션")).click()
    expect(page.locator("#supplier-facts")).to_contain_text("Process management")
