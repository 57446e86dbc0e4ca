"""Amounts typed as a person types them, and nothing typed lost (issue 11, points 1 and 2), on
the business plan's budget step in Chromium: the fields start empty, 30000000 typed reads
30,000,000 with 3,000만 원 beside, a pasted full-width amount is taken, the support preview
counts the integers, the amounts save on their own, and leaving with an amount not yet saved
asks first (beforeunload)."""

import pytest
from playwright.sync_api import expect

from applications import services
from applications.models import BusinessPlan
from programs.models import Call, Region
from tests.e2e.conftest import sign_in
from tests.factories.applications import CompanyFactory, MembershipFactory
from tests.factories.portal import UserFactory


@pytest.fixture
def application(demo):
    company = CompanyFactory(region=Region.objects.get(code="GB"), name="청송식품",
                             registration_number="1208147521")
    user = MembershipFactory(company=company, user=UserFactory(email="owner@food.test")).user
    track = Call.objects.get(code="2025-GB").tracks.get(kind="basic")
    application, _created = services.start_application(company, track, user=user)
    return application


def test_amounts_typed_grouped_read_autosaved_and_not_lost(browser, live_url, application):
    page = sign_in(browser, live_url, "owner@food.test")
    page.goto(f"{live_url}/applications/{application.pk}/plan/budget/")
    software = page.locator("#id_cost_software")
    expect(software).to_have_value("")  # not "0": typing does not append to it
    software.click()
    page.keyboard.type("30000000")
    expect(software).to_have_value("30,000,000")
    expect(page.locator("#id_cost_software-readable")).to_have_text("3,000만 원")
    # Pasted in full width: the same amount.
    page.locator("#id_cost_hardware").fill("２０，０００，０００")
    expect(page.locator("#id_cost_hardware")).to_have_value("20,000,000")
    expect(page.locator("#id_cost_hardware-readable")).to_have_text("2,000만 원")
    expect(page.locator("#support-total-cost")).to_have_text("50,000,000원")
    page.screenshot(path="/tmp/a-shot-budget.png", full_page=True)
    # Both amounts save on their own two seconds after the typing stops.
    expect(page.locator("#autosave-message[data-state=saved]")).to_have_count(1,
                                                                             timeout=10_000)
    page.wait_for_function("() => document.querySelector('#id_revision').value === '2'")
    plan = BusinessPlan.objects.get(application=application)
    assert (plan.cost_software, plan.cost_hardware, plan.revision) == (30_000_000,
                                                                       20_000_000, 2)

    # An amount typed and not saved yet: leaving asks first, and staying keeps it.
    prompts = []

    def answer(dialog):
        prompts.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("#id_cost_other").click()
    page.keyboard.type("5000000")
    page.get_by_role("link", name="공고", exact=True).click()
    page.wait_for_timeout(300)
    assert prompts == ["beforeunload"]
    expect(page.locator("#id_cost_other")).to_have_value("5,000,000")
    # Once it has saved on its own, leaving asks nothing.
    page.wait_for_function("() => document.querySelector('#id_revision').value === '3'")
    page.get_by_role("link", name="공고", exact=True).click()
    expect(page.locator("h1")).to_have_text("공고")
    assert prompts == ["beforeunload"]
    assert BusinessPlan.objects.get(application=application).cost_other == 5_000_000


def test_sending_the_form_does_not_ask_and_sends_integers(browser, live_url, application):
    page = sign_in(browser, live_url, "owner@food.test")
    page.goto(f"{live_url}/applications/{application.pk}/plan/budget/")
    prompts = []
    page.on("dialog", lambda dialog: (prompts.append(dialog.type), dialog.dismiss()))
    page.locator("#id_cost_consulting").click()
    page.keyboard.type("7000000")
    expect(page.locator("#id_cost_consulting")).to_have_value("7,000,000")
    page.click("#save-button")
    expect(page.locator("#id_cost_consulting")).to_have_value("7,000,000")
    assert prompts == []
    assert BusinessPlan.objects.get(application=application).cost_consulting == 7_000_000
