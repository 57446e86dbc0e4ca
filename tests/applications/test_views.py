import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application, BusinessPlan, PlanVersion
from companies.models import Company, Membership
from programs.models import Announcement, Region
from tests.factories.applications import (
    CompanyFactory,
    InvitationFactory,
    MembershipFactory,
    complete_plan_values,
)
from tests.factories.portal import UserFactory


def client_for(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def text(response) -> str:
    """The page's visible text, tags removed and entities decoded, whitespace collapsed."""
    body = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def company_data(**overrides):
    return {"name": "새봄식품", "registration_number": "120-81-47521", "representative": "박대표",
            "address": "경상북도 포항시 북구 1", "region": Region.objects.get(code="GB").pk,
            "ksic_code": "c10", "is_sme": "on", "employees": "12", "revenue": "1,200,000,000",
            **overrides}


# --- Company registration --------------------------------------------------------------------

def test_register_company_with_a_valid_number(demo):
    user = UserFactory()
    response = client_for(user).post(reverse("companies:company_create"), company_data())
    assert response.status_code == 302
    company = Company.objects.get()
    assert (company.registration_number, company.ksic_code, company.revenue,
            user.membership.company) == ("1208147521", "C10", 1_200_000_000, company)
    page = client_for(user).get(reverse("companies:company"))
    assert "120-81-47521" in text(page)


@pytest.mark.parametrize("number, message", [
    ("124-81-00997", "This business registration number is not valid: its check digit does "
                     "not match."),
    ("124-81-0099", "A business registration number has 10 digits; this one has 9."),
    ("124-8A-00998", "A business registration number has digits only (hyphens are allowed)."),
])
def test_register_company_bad_number_shows_the_message_and_keeps_the_input(demo, number,
                                                                           message):
    response = client_for(UserFactory()).post(reverse("companies:company_create"),
                                              company_data(registration_number=number))
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert f'value="{number}"' in response.content.decode()
    assert 'value="새봄식품"' in response.content.decode()
    assert Company.objects.count() == 0


def test_register_company_already_registered_says_how_to_join(company):
    response = client_for(UserFactory()).post(reverse("companies:company_create"),
                                              company_data(registration_number="1248100998"))
    assert ("A company with the business registration number 124-81-00998 is already "
            "registered on the portal. To act for it, ask one of its members to invite you: "
            "members invite colleagues by email from the company page.") in text(response)
    assert Company.objects.count() == 1


def test_register_company_bad_amount_refused(demo):
    response = client_for(UserFactory()).post(reverse("companies:company_create"),
                                              company_data(revenue="-5"))
    assert "An amount cannot be negative." in text(response)


def test_company_page_without_a_company_leads_to_registration(demo):
    response = client_for(UserFactory()).get(reverse("companies:company"))
    assert response.url == reverse("companies:company_create")


def test_invite_then_accept_joins_the_company(company, member,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(reverse("companies:company_invite"),
                                           {"email": "joiner@example.test"})
    assert response.status_code == 302
    link = re.search(r"http://\S+/company/invitations/[0-9a-f-]+/", mail.outbox[0].body)[0]
    joiner = UserFactory(email="joiner@example.test")
    path = link.split("8000", 1)[1]
    assert "데모식품" in text(client_for(joiner).get(path))
    response = client_for(joiner).post(path)
    assert response.url == reverse("dashboard")
    assert Membership.objects.get(user=joiner).company == company


def test_invitation_for_another_address_is_refused_with_the_reason(company, member):
    invitation = InvitationFactory(company=company, email="joiner@example.test")
    response = client_for(UserFactory(email="other@example.test")).post(
        reverse("companies:invitation_accept", args=[invitation.token]))
    assert ("This invitation was sent to joiner@example.test. Sign in with that address to "
            "accept it.") in text(response)


def test_invite_bad_email_keeps_the_input(company, member):
    response = client_for(member).post(reverse("companies:company_invite"),
                                       {"email": "not-an-email"})
    assert response.status_code == 200
    assert 'value="not-an-email"' in response.content.decode()
    assert "Enter a valid email address." in text(response)


# --- Starting ------------------------------------------------------------------------------------

def gb_announcement():
    return Announcement.objects.get(call__code="2025-GB")


def test_apply_button_leads_to_the_start_page(company, member):
    response = client_for(member).get(reverse("programs:apply", args=[gb_announcement().pk]))
    assert response.url == reverse("applications:start", args=[gb_announcement().call_id])


def test_start_without_a_company_asks_to_register_first(demo):
    call_pk = gb_announcement().call_id
    response = client_for(UserFactory()).get(reverse("applications:start", args=[call_pk]))
    assert response.url == (reverse("companies:company_create") + "?next="
                            + reverse("applications:start", args=[call_pk]))


def test_start_creates_a_draft_then_leads_back_to_it(company, member, gb_basic):
    url = reverse("applications:start", args=[gb_basic.call_id])
    page = client_for(member).get(url)
    assert "Basic" in text(page)
    response = client_for(member).post(url, {"track": gb_basic.pk})
    application = Application.objects.get()
    assert response.url == reverse("applications:step", args=[application.pk, "company"])
    assert (application.track, application.status, application.plan.revision) == (
        gb_basic, ApplicationStatus.DRAFT, 0)
    again = client_for(member).get(url)
    assert again.url == reverse("applications:detail", args=[application.pk])


def test_start_shows_eligibility_failures_naming_the_rule(gb_basic):
    company = CompanyFactory(region=Region.objects.get(code="JN"), is_sme=False)
    user = MembershipFactory(company=company).user
    page = text(client_for(user).get(reverse("applications:start", args=[gb_basic.call_id])))
    assert ("Factory region : The factory is in Jeonnam; this call accepts factories in "
            "Gyeongbuk only.") in page
    assert "SME : Only SMEs may apply" in page


# --- Steps --------------------------------------------------------------------------------------

def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


def budget_data(revision=0, **overrides):
    return {"revision": revision, "cost_software": "50,000,000", "cost_hardware": "30,000,000",
            "cost_consulting": "10,000,000", "cost_other": "0",
            "contribution_cash": "27,000,000", "contribution_in_kind": "9,000,000",
            **overrides}


def test_step_pages_render_for_a_member(application, member):
    client = client_for(member)
    for step in ("company", "production", "plan", "budget", "kpis", "schedule", "bonus"):
        assert client.get(step_url(application, step)).status_code == 200


def test_save_step_and_continue(application, member):
    response = client_for(member).post(step_url(application, "company"), {
        "revision": 0, "company_overview": "새 회사 소개", "goto": "production"})
    assert response.url == step_url(application, "production")
    plan = BusinessPlan.objects.get()
    assert (plan.company_overview, plan.revision) == ("새 회사 소개", 1)


def test_budget_amount_above_the_limit_refused_typed_values_kept_valid_parts_saved(
        application, member):
    response = client_for(member).post(step_url(application, "budget"), budget_data(
        cost_software="1,000,000,000,001", cost_hardware="40,000,000"))
    page, html = text(response), response.content.decode()
    assert "An amount may be at most 1,000,000,000,000 won." in page
    assert 'value="1,000,000,000,001"' in html
    assert ("Some values need your attention (marked below). Everything else on this page "
            "was saved.") in page
    plan = BusinessPlan.objects.get()
    assert (plan.cost_software, plan.cost_hardware, plan.revision) == (50_000_000, 40_000_000,
                                                                       1)
    assert 'name="revision" value="1"' in html


@pytest.mark.parametrize("value, message", [
    ("-1,000", "An amount cannot be negative."),
    ("12.5", "Enter an amount in won with digits only, such as 50,000,000."),
    ("abc", "Enter an amount in won with digits only, such as 50,000,000."),
])
def test_budget_bad_amounts_refused_with_clear_messages(application, member, value, message):
    response = client_for(member).post(step_url(application, "budget"),
                                       budget_data(cost_other=value))
    assert message in text(response)
    assert f'value="{value}"' in response.content.decode()


def test_budget_zero_total_refused(application, member):
    response = client_for(member).post(step_url(application, "budget"), budget_data(
        cost_software="0", cost_hardware="0", cost_consulting="0", contribution_cash="0",
        contribution_in_kind="0"))
    assert ("The total project cost must be more than 0 won: enter the cost of at least one "
            "item.") in text(response)


def test_budget_too_little_cash_refused(application, member):
    response = client_for(member).post(step_url(application, "budget"), budget_data(
        contribution_cash="10,000,000", contribution_in_kind="26,000,000"))
    assert ("At least 50% of the company contribution must be paid in cash: at least "
            "KRW 18,000,000.") in text(response)
    assert BusinessPlan.objects.get().contribution_cash == 27_000_000


def test_budget_requested_support_from_the_browser_is_ignored(application, member):
    client = client_for(member)
    client.post(step_url(application, "budget"), budget_data(requested_support="99,000,000"))
    client.post(reverse("applications:submit", args=[application.pk]), {"revision": 1,
                                                                         "requested_support":
                                                                         "99000000"})
    assert PlanVersion.objects.get().requested_support == 54_000_000


def test_two_members_editing_second_save_told_nothing_overwritten(application, member,
                                                                  colleague):
    first = client_for(member)
    second = client_for(colleague)
    first.post(step_url(application, "plan"), {
        "revision": 0, "systems": "회원 1의 계획", "supplier_name": "A사",
        "supplier_registration_number": "220-81-62517"})
    response = second.post(step_url(application, "plan"), {
        "revision": 0, "systems": "회원 2의 계획", "supplier_name": "B사",
        "supplier_registration_number": "220-81-62517"})
    assert ("The plan was changed by someone else since you opened it. Your input is shown "
            "below and was not saved") in text(response)
    assert "회원 2의 계획" in response.content.decode()
    assert BusinessPlan.objects.get().systems == "회원 1의 계획"


def test_supplier_both_from_pool_and_named_refused(application, member):
    from tests.factories.applications import SupplierFactory

    supplier = SupplierFactory()
    response = client_for(member).post(step_url(application, "plan"), {
        "revision": 0, "systems": "MES", "supplier": supplier.pk, "supplier_name": "B사",
        "supplier_registration_number": "220-81-62517"})
    assert "Choose a supplier from the pool or name another one, not both." in text(response)


def test_supplier_registration_number_check_digit(application, member):
    response = client_for(member).post(step_url(application, "plan"), {
        "revision": 0, "systems": "MES", "supplier_name": "B사",
        "supplier_registration_number": "220-81-62518"})
    assert ("This business registration number is not valid: its check digit does not "
            "match.") in text(response)


def test_kpis_saved_as_strings(application, member):
    data = {"revision": 0}
    for code in ("productivity", "defect_rate", "cost", "lead_time"):
        data[f"{code}_baseline"], data[f"{code}_target"] = "10.50", "8"
    client_for(member).post(step_url(application, "kpis"), data)
    assert BusinessPlan.objects.get().kpis[1] == {"code": "defect_rate", "baseline": "10.5",
                                                  "target": "8"}


def test_kpi_defect_rate_above_100_refused(application, member):
    data = {"revision": 0, "defect_rate_baseline": "120"}
    response = client_for(member).post(step_url(application, "kpis"), data)
    assert "Ensure this value is less than or equal to 100." in text(response)


def test_schedule_end_before_start_refused(application, member):
    response = client_for(member).post(step_url(application, "schedule"), {
        "revision": 0, "schedule_start": "2025-12-01", "schedule_end": "2025-11-01"})
    assert "The project must end on or after the day it starts." in text(response)


def test_bonus_claim_needs_evidence(application, member, gb_call):
    item = gb_call.bonus_items.get(code="exporter")
    response = client_for(member).post(step_url(application, "bonus"), {
        "revision": 0, f"claim_{item.pk}": "on", f"evidence_{item.pk}": " "})
    assert "Describe the evidence for this bonus item." in text(response)
    client_for(member).post(step_url(application, "bonus"), {
        "revision": 0, f"claim_{item.pk}": "on", f"evidence_{item.pk}": "수출신고필증"})
    assert list(application.bonus_claims.values_list("bonus_item__code", "evidence")) == [
        ("exporter", "수출신고필증")]


def test_step_after_the_deadline_refused_typed_data_kept(application, member):
    application.call.closes_at = application.call.opens_at + timedelta(minutes=1)
    application.call.save()
    response = client_for(member).post(step_url(application, "company"), {
        "revision": 0, "company_overview": "마감 후에 입력한 내용"})
    page = text(response)
    assert "The application window closed on" in page
    assert "what was last saved is kept" in page
    assert "마감 후에 입력한 내용" in response.content.decode()
    assert BusinessPlan.objects.get().company_overview == complete_plan_values()[
        "company_overview"]


def test_step_page_read_only_after_the_deadline(application, member):
    application.call.closes_at = application.call.opens_at + timedelta(minutes=1)
    application.call.save()
    html = client_for(member).get(step_url(application, "company")).content.decode()
    assert 'id="save-button"' not in html
    assert re.search(r'<textarea[^>]*disabled', html) is not None


# --- Autosave and the live support figures ---------------------------------------------------

def autosave(client, application, name, value, revision):
    return client.post(reverse("applications:autosave", args=[application.pk]),
                       {name: value, "revision": revision},
                       HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=name)


def test_autosave_saves_the_field_and_answers_the_new_revision(application, member):
    response = autosave(client_for(member), application, "systems", "자동 저장", 0)
    assert response.status_code == 200
    assert 'name="revision" value="1"' in response.content.decode()
    assert "Saved automatically at" in text(response)
    assert BusinessPlan.objects.get().systems == "자동 저장"


def test_autosave_on_an_older_revision_is_refused(application, member, colleague):
    autosave(client_for(member), application, "systems", "먼저", 0)
    response = autosave(client_for(colleague), application, "systems", "나중", 0)
    assert response.status_code == 409
    assert "The plan was changed by someone else since you opened it." in text(response)
    assert BusinessPlan.objects.get().systems == "먼저"


def test_autosave_refuses_fields_that_do_not_autosave(application, member):
    response = autosave(client_for(member), application, "supplier_name", "새봄", 0)
    assert response.status_code == 400


def test_support_preview_computed_by_the_server(application, member):
    response = client_for(member).post(
        reverse("applications:support_preview", args=[application.pk]),
        {"cost_software": "150,000,000", "cost_hardware": "", "contribution_cash": "abc"},
        HTTP_HX_REQUEST="true")
    html = response.content.decode()
    # 150,000,000 → eligible 100,000,000 → 30,000,000 + 30,000,000; contribution 90,000,000.
    assert re.search(r'id="support-provincial">KRW 30,000,000<', html) is not None
    assert re.search(r'id="support-municipal">KRW 30,000,000<', html) is not None
    assert re.search(r'id="support-total">KRW 60,000,000<', html) is not None
    assert re.search(r'id="support-contribution">KRW 90,000,000<', html) is not None
    assert re.search(r'id="support-minimum-cash">KRW 45,000,000<', html) is not None
    assert "Support is computed on the track's maximum project cost of KRW 100,000,000." in \
        text(response)
    assert "Some amounts are not valid numbers; they count as 0 here." in text(response)


def test_budget_inputs_post_to_the_preview_as_the_company_types(application, member):
    html = client_for(member).get(step_url(application, "budget")).content.decode()
    preview = reverse("applications:support_preview", args=[application.pk])
    assert re.search(rf'name="cost_software"[^>]*hx-post="{preview}"', html) or re.search(
        rf'hx-post="{preview}"[^>]*name="cost_software"', html)
    assert 'hx-trigger="input changed delay:300ms"' in html


def test_long_text_fields_autosave_while_typing(application, member):
    html = client_for(member).get(step_url(application, "production")).content.decode()
    assert html.count('hx-trigger="keyup changed delay:2s"') == 2


# --- Submission --------------------------------------------------------------------------------

def submit(client, application, revision=0):
    return client.post(reverse("applications:submit", args=[application.pk]),
                       {"revision": revision})


def test_submit_then_dashboard_shows_receipt_and_status(application, member,
                                                        django_capture_on_commit_callbacks):
    client = client_for(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, application)
    assert response.url == reverse("applications:detail", args=[application.pk])
    dashboard = text(client.get(reverse("dashboard")))
    assert "2025-GB-0001" in dashboard
    assert "Submitted" in dashboard
    assert [m.subject for m in mail.outbox] == ["Application received: 2025-GB-0001"]


def test_double_clicked_submit_makes_one_submission(application, member,
                                                    django_capture_on_commit_callbacks):
    client = client_for(member)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, application)
        second = submit(client, application)
    assert second.status_code == 302
    assert (PlanVersion.objects.count(), len(mail.outbox),
            Application.objects.get().receipt_number) == (1, 1, "2025-GB-0001")


def test_submit_incomplete_lists_what_is_missing(application, member):
    application.documents.all().delete()
    response = submit(client_for(member), application)
    page = text(response)
    assert "The application was not submitted:" in page
    assert "The document “Business registration certificate” is missing." in page
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_submit_after_the_deadline_refused_clearly_draft_kept(application, member):
    application.call.closes_at = application.call.opens_at + timedelta(minutes=1)
    application.call.save()
    response = submit(client_for(member), application)
    assert "The application window closed on" in text(response)
    assert (Application.objects.get().status, BusinessPlan.objects.get().total_cost) == (
        ApplicationStatus.DRAFT, 90_000_000)


def test_withdraw_and_reopen(application, member):
    client = client_for(member)
    submit(client, application)
    client.post(reverse("applications:withdraw", args=[application.pk]), {"reason": "사정"})
    assert Application.objects.get().status == ApplicationStatus.WITHDRAWN
    client.post(reverse("applications:reopen", args=[application.pk]))
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_version_page_shows_the_frozen_plan(application, member):
    client = client_for(member)
    submit(client, application)
    client.post(step_url(application, "plan"), {
        "revision": 0, "systems": "제출 후 수정", "supplier_name": "B사",
        "supplier_registration_number": "220-81-62517"})
    page = text(client.get(reverse("applications:version", args=[application.pk, 1])))
    assert "MES와 발효조 온도 모니터링 센서" in page
    assert "제출 후 수정" not in page


# --- Escaping --------------------------------------------------------------------------------

def test_script_and_event_handlers_stored_as_typed_and_shown_escaped(application, member):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client = client_for(member)
    client.post(step_url(application, "company"), {"revision": 0, "company_overview": attack})
    Company.objects.filter(pk=application.company_id).update(name=attack)
    assert BusinessPlan.objects.get().company_overview == attack
    submit(client, application, revision=1)
    pages = [client.get(reverse("dashboard")), client.get(step_url(application, "company")),
             client.get(reverse("applications:detail", args=[application.pk])),
             client.get(reverse("applications:version", args=[application.pk, 1])),
             client.get(reverse("companies:company"))]
    for page in pages:
        html = page.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x onerror" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_dashboard_of_an_invited_person_links_to_the_invitation(company, member):
    invitation = InvitationFactory(company=company, email="joiner@example.test",
                                   invited_by=member)
    html = client_for(UserFactory(email="Joiner@example.test")).get(
        reverse("dashboard")).content.decode()
    assert reverse("companies:invitation_accept", args=[invitation.token]) in html
    assert "You are invited to act for 데모식품." in unescape(html)


def test_dashboard_without_a_company_offers_registration(demo):
    html = client_for(UserFactory()).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("companies:company_create")}" id="register-company"' in html


def test_company_page_lists_members_and_pending_invitations(company, member, colleague):
    InvitationFactory(company=company, email="pending@example.test")
    page = text(client_for(member).get(reverse("companies:company")))
    assert "owner@demo.test" in page
    assert "colleague@demo.test" in page
    assert "pending@example.test" in page
