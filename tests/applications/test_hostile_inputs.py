"""Inputs that answered 500 in the outside audit (issue 9, item 10). Each now gets a clear,
translated message and the page keeps what was typed: a schedule that ends before it starts,
a NUL character (autosave, the verification page), a superscript ``²`` in amounts and
registration numbers, and full-width digits, which made a second company of the same number.

The NUL cases matter on PostgreSQL, which cannot store or compare NUL: run this file with
``DATABASE_URL=postgres://…`` too.
"""

import datetime
import re

import pytest
from django.urls import reverse

from applications.models import BusinessPlan
from clusters.models import ClusterInvitation, ClusterMember
from companies.models import Company, Supplier
from programs.models import Region
from reviews.admin import ReviewerProfileForm
from tests.applications.test_views import budget_data, client_for, company_data, step_url, text
from tests.factories.applications import CompanyFactory
from tests.factories.clusters import ClusterFactory, demo_cluster_track, user_for
from tests.factories.portal import UserFactory

FULL_WIDTH = "１２４８１００９９８"
SUPERSCRIPT_NUMBER = "124810099²"


def html(response) -> str:
    return response.content.decode()


def value_of(response, name) -> str:
    """The value a text input ``name`` is rendered with (entities decoded)."""
    form = response.context["form"]
    return form[name].value()


# --- The schedule: end before start -----------------------------------------------------------

@pytest.fixture
def scheduled(application):
    plan = application.plan
    plan.schedule_start, plan.schedule_end = datetime.date(2027, 3, 1), datetime.date(2027, 4, 15)
    plan.schedule_notes = "3월 착수"
    plan.save(update_fields=["schedule_start", "schedule_end", "schedule_notes"])
    return application


def test_schedule_ending_before_it_starts_refused_whole_with_values_kept(scheduled, member):
    response = client_for(member).post(step_url(scheduled, "schedule"), {
        "revision": 0, "schedule_start": "2027-05-01", "schedule_end": "2027-04-15",
        "schedule_notes": "5월 착수, 6월 구축"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "schedule_end": ["The project must end on or after the day it starts."]}
    assert "Nothing was saved: correct the values marked below." in text(response)
    assert ('value="2027-05-01"', 'value="2027-04-15"') == tuple(
        re.search(rf'name="{name}"[^>]*(value="[^"]*")', html(response)).group(1)
        for name in ("schedule_start", "schedule_end"))
    assert "5월 착수, 6월 구축" in html(response)
    plan = BusinessPlan.objects.get()
    assert (plan.schedule_start, plan.schedule_end, plan.schedule_notes, plan.revision) == (
        datetime.date(2027, 3, 1), datetime.date(2027, 4, 15), "3월 착수", 0)


def test_schedule_start_after_the_saved_end_refused_when_the_end_typed_is_invalid(
        scheduled, member):
    response = client_for(member).post(step_url(scheduled, "schedule"), {
        "revision": 0, "schedule_start": "2027-05-01", "schedule_end": "2027-04-31",
        "schedule_notes": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "schedule_start": ["The project must start on or before the day it ends (2027-04-15, "
                           "as saved before)."],
        "schedule_end": ["Enter a valid date."]}
    assert (value_of(response, "schedule_start"), value_of(response, "schedule_end")) == (
        "2027-05-01", "2027-04-31")
    plan = BusinessPlan.objects.get()
    assert (plan.schedule_start, plan.revision) == (datetime.date(2027, 3, 1), 0)


def test_schedule_message_in_korean(scheduled, member):
    response = client_for(member, "ko").post(step_url(scheduled, "schedule"), {
        "revision": 0, "schedule_start": "2027-05-01", "schedule_end": "2027-04-15"})
    assert response.context["form"].errors == {
        "schedule_end": ["사업 종료일은 시작일과 같거나 그 이후여야 합니다."]}


# --- NUL characters -----------------------------------------------------------------------------

def autosave(client, application, name, value):
    return client.post(reverse("applications:autosave", args=[application.pk]),
                       {name: value, "revision": 0},
                       HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=name)


def test_autosave_with_a_nul_character_is_400_with_a_message(application, member):
    before = BusinessPlan.objects.get().systems
    response = autosave(client_for(member), application, "systems", "MES\x00 도입")
    assert response.status_code == 400
    assert text(response) == "Null characters are not allowed."
    assert 'name="revision"' not in html(response)
    plan = BusinessPlan.objects.get()
    assert (plan.systems, plan.revision) == (before, 0)


def test_autosave_with_a_nul_character_answers_in_korean(application, member):
    response = autosave(client_for(member, "ko"), application, "company_overview", "\x00")
    assert (response.status_code, text(response)) == (400, "null 문자는 사용할 수 없습니다.")


def test_autosave_may_still_empty_a_field(application, member):
    response = autosave(client_for(member), application, "systems", "")
    assert (response.status_code, BusinessPlan.objects.get().systems) == (200, "")


def test_plan_step_with_a_nul_character_keeps_the_text(application, member):
    response = client_for(member).post(step_url(application, "company"), {
        "revision": 0, "company_overview": "회사\x00 소개"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "company_overview": ["Null characters are not allowed."]}
    assert value_of(response, "company_overview") == "회사\x00 소개"


def test_verify_page_with_a_nul_character_is_not_found(db):
    client = client_for(UserFactory())
    response = client.get("/notices/verify/ABCD-EFGH-JKM%00N/")
    assert response.status_code == 404
    assert (response.context["not_found"], response.context["form"].errors) == (
        True, {"code": ["Null characters are not allowed."]})
    assert value_of(response, "code") == "ABCD-EFGH-JKM\x00N"
    assert "No notice has this verification code." in text(response)


def test_verify_page_with_a_nul_character_in_korean(db):
    response = client_for(UserFactory(), "ko").get("/notices/verify/%00/")
    assert response.status_code == 404
    # Django's own Korean catalogue ends this message with a space.
    assert response.context["form"].errors == {"code": ["null 문자는 사용할 수 없습니다. "]}


def test_verify_form_with_a_nul_character_shows_the_message(db):
    response = client_for(UserFactory()).get("/notices/verify/", {"code": "ABCD\x00"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["Null characters are not allowed."]}


# --- Superscripts and full-width digits: amounts ------------------------------------------------

def test_budget_amount_with_a_superscript_refused_value_kept(application, member):
    response = client_for(member).post(step_url(application, "budget"),
                                       budget_data(cost_other="1,000²"))
    assert response.status_code == 200
    assert response.context["form"].errors["cost_other"] == [
        "Enter an amount in won with digits only, such as 50,000,000."]
    assert value_of(response, "cost_other") == "1,000²"
    assert BusinessPlan.objects.get().cost_other == 0


def test_budget_amounts_in_full_width_saved_as_numbers(application, member):
    response = client_for(member).post(step_url(application, "budget"), budget_data(
        cost_software="５０，０００，０００", cost_hardware="３０ ０００ ０００원",
        cost_other="０"))
    assert response.status_code == 302
    plan = BusinessPlan.objects.get()
    assert (plan.cost_software, plan.cost_hardware, plan.cost_other) == (
        50_000_000, 30_000_000, 0)


def test_support_preview_with_a_superscript_says_the_amount_is_not_valid(application, member):
    response = client_for(member).post(
        reverse("applications:support_preview", args=[application.pk]),
        {"cost_software": "150,000,000²", "cost_hardware": "10²"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Some amounts are not valid numbers; they count as 0 here." in text(response)
    assert re.search(r'id="support-total">KRW 0<', html(response)) is not None


def test_support_preview_in_full_width_computes_the_support(application, member):
    response = client_for(member).post(
        reverse("applications:support_preview", args=[application.pk]),
        {"cost_software": "１５０，０００，０００"}, HTTP_HX_REQUEST="true")
    assert re.search(r'id="support-total">KRW 60,000,000<', html(response)) is not None


@pytest.fixture
def cluster(demo):
    return ClusterFactory(track=demo_cluster_track())


def test_cluster_part_cost_with_a_superscript_refused_value_kept(cluster):
    response = client_for(user_for(cluster.lead_company)).post(
        reverse("clusters:part", args=[cluster.pk]), {
            "cost": "100,000,000²", "contribution_cash": "30,000,000",
            "contribution_in_kind": "30,000,000"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"cost": [
        "Enter an amount in won using digits; commas are allowed, as in 40,000,000."]}
    assert value_of(response, "cost") == "100,000,000²"


def test_cluster_part_in_full_width_saved(cluster):
    response = client_for(user_for(cluster.lead_company)).post(
        reverse("clusters:part", args=[cluster.pk]), {
            "cost": "１００，０００，０００", "contribution_cash": "３０，０００，０００",
            "contribution_in_kind": "30,000,000"})
    member = ClusterMember.objects.get(cluster=cluster)
    assert (response.status_code, member.cost, member.contribution_cash) == (
        302, 100_000_000, 30_000_000)


def test_cluster_part_preview_with_a_superscript_says_why(cluster):
    response = client_for(user_for(cluster.lead_company)).get(
        reverse("clusters:part_preview", args=[cluster.pk]), {"cost": "²"},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["preview_error"] == (
        "Enter an amount in won using digits; commas are allowed, as in 40,000,000.")


# --- Superscripts and full-width digits: registration numbers -----------------------------------

def test_company_with_a_superscript_in_its_number_refused_value_kept(demo):
    response = client_for(UserFactory()).post(
        reverse("companies:company_create"),
        company_data(registration_number=SUPERSCRIPT_NUMBER))
    assert response.status_code == 200
    assert response.context["form"].errors == {"registration_number": [
        "A business registration number has digits only (hyphens are allowed)."]}
    assert value_of(response, "registration_number") == SUPERSCRIPT_NUMBER
    assert value_of(response, "name") == "새봄식품"
    assert Company.objects.count() == 0


def test_company_in_full_width_digits_is_the_same_company(demo):
    CompanyFactory(registration_number="1248100998", name="데모식품",
                   region=Region.objects.get(code="GB"))
    response = client_for(UserFactory()).post(
        reverse("companies:company_create"), company_data(registration_number=FULL_WIDTH))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["registration_number"]
    assert "124-81-00998" in response.context["form"].errors["registration_number"][0]
    assert value_of(response, "registration_number") == FULL_WIDTH
    assert list(Company.objects.values_list("registration_number", flat=True)) == [
        "1248100998"]


def test_company_registered_in_full_width_digits_stored_in_ascii(demo):
    response = client_for(UserFactory()).post(
        reverse("companies:company_create"),
        company_data(registration_number="１２０－８１－４７５２１",
                     revenue="１，２００，０００，０００"))
    assert response.status_code == 302
    assert list(Company.objects.values_list("registration_number", "revenue")) == [
        ("1208147521", 1_200_000_000)]


def supplier_data(**overrides):
    return {"name": "새솔루션", "registration_number": "124-81-00998", "specialties": "MES",
            "industries": "식품", "processes": "포장", "region": Region.objects.get(code="GB").pk,
            "contact_name": "박담당", "contact_email": "sales@new.test", "contact_phone": "",
            "past_builds": "12", **overrides}


def test_supplier_in_full_width_digits_is_the_same_supplier(demo):
    client = client_for(UserFactory())
    client.post(reverse("suppliers:register"), supplier_data())
    response = client_for(UserFactory()).post(reverse("suppliers:register"),
                                              supplier_data(registration_number=FULL_WIDTH))
    assert response.status_code == 200
    assert response.context["form"].errors == {"registration_number": [
        "A supplier with this business registration number is already registered (in the "
        "pool or waiting for approval)."]}
    assert list(Supplier.objects.values_list("registration_number", flat=True)) == [
        "1248100998"]


def test_supplier_with_a_superscript_in_its_number_or_phone_refused(demo):
    response = client_for(UserFactory()).post(reverse("suppliers:register"), supplier_data(
        registration_number=SUPERSCRIPT_NUMBER, contact_phone="054-123-4567²"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "registration_number": [
            "A business registration number has digits only (hyphens are allowed)."],
        "contact_phone": ["Enter a phone number with digits, such as 054-123-4567."]}
    assert (value_of(response, "registration_number"), value_of(response, "contact_phone")) == (
        SUPERSCRIPT_NUMBER, "054-123-4567²")


def test_supplier_phone_in_full_width_kept_in_ascii(demo):
    response = client_for(UserFactory()).post(reverse("suppliers:register"), supplier_data(
        contact_phone="（０５４） １２３－４５６７"))
    assert response.status_code == 302
    assert Supplier.objects.get().contact_phone == "054-123-4567"


def test_cluster_invitation_in_full_width_digits_stored_in_ascii(cluster):
    response = client_for(user_for(cluster.lead_company)).post(
        reverse("clusters:invite", args=[cluster.pk]),
        {"registration_number": "１２０－８１－４７５２１", "email": "ceo@member.test"})
    assert response.status_code == 302
    assert list(ClusterInvitation.objects.values_list("registration_number", flat=True)) == [
        "1208147521"]


def test_cluster_invitation_with_a_superscript_refused_value_kept(cluster):
    response = client_for(user_for(cluster.lead_company)).post(
        reverse("clusters:invite", args=[cluster.pk]),
        {"registration_number": SUPERSCRIPT_NUMBER, "email": "ceo@member.test"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"registration_number": [
        "A business registration number has digits only (hyphens are allowed)."]}
    assert value_of(response, "registration_number") == SUPERSCRIPT_NUMBER
    assert ClusterInvitation.objects.count() == 0


def test_plan_supplier_number_with_a_superscript_refused(application, member):
    response = client_for(member).post(step_url(application, "plan"), {
        "revision": 0, "systems": "MES", "supplier_name": "A사",
        "supplier_registration_number": SUPERSCRIPT_NUMBER})
    assert response.status_code == 200
    assert response.context["form"].errors == {"supplier_registration_number": [
        "A business registration number has digits only (hyphens are allowed)."]}
    assert value_of(response, "supplier_registration_number") == SUPERSCRIPT_NUMBER


def test_reviewer_organisation_number_in_full_width_stored_in_ascii(demo):
    form = ReviewerProfileForm({"user": UserFactory().pk, "organisation": "한국생산기술연구원",
                                "organisation_registration_number": FULL_WIDTH,
                                "active": "on"})
    assert form.is_valid(), form.errors
    assert form.save().organisation_registration_number == "1248100998"


def test_reviewer_organisation_number_with_a_superscript_refused(demo):
    form = ReviewerProfileForm({"user": UserFactory().pk, "organisation": "한국생산기술연구원",
                                "organisation_registration_number": SUPERSCRIPT_NUMBER,
                                "active": "on"})
    assert form.errors == {"organisation_registration_number": [
        "A business registration number has digits only (hyphens are allowed)."]}


def test_company_model_cleaning_normalises_the_number(demo):
    """The admin and every ModelForm clean through the model field: the same company."""
    CompanyFactory(registration_number="1248100998", region=Region.objects.get(code="GB"))
    company = CompanyFactory.build(registration_number=FULL_WIDTH,
                                   region=Region.objects.get(code="GB"))
    with pytest.raises(Exception) as refused:
        company.full_clean()
    assert list(refused.value.message_dict) == ["registration_number"]
    assert company.registration_number == "1248100998"


# --- Digit strings in addresses --------------------------------------------------------------

def test_operator_list_with_a_superscript_track_is_the_whole_list(role_users):
    response = client_for(role_users["operator_gb"]).get(
        reverse("applications:operator_list"), {"track": "²"})
    assert (response.status_code, response.context["track"]) == (200, None)


def test_open_cluster_with_a_superscript_call_offers_the_first_call(cluster):
    response = client_for(user_for(cluster.lead_company)).get(reverse("clusters:open"),
                                                              {"call": "²"})
    assert response.status_code == 200


def test_schedule_start_after_the_saved_end_message_in_korean(scheduled, member):
    response = client_for(member, "ko").post(step_url(scheduled, "schedule"), {
        "revision": 0, "schedule_start": "2027-05-01", "schedule_end": "2027-04-31"})
    assert response.context["form"].errors["schedule_start"] == [
        "사업 시작일은 앞서 저장한 종료일(2027-04-15)과 같거나 그 이전이어야 합니다."]


def test_supplier_phone_message_in_korean(demo):
    response = client_for(UserFactory(), "ko").post(
        reverse("suppliers:register"), supplier_data(contact_phone="054-123-4567²"))
    assert response.context["form"].errors == {
        "contact_phone": ["전화번호는 숫자로 입력하십시오(예: 054-123-4567)."]}


def test_a_step_breaking_a_model_constraint_its_form_missed_is_refused_whole(
        scheduled, member, monkeypatch):
    """The plan's CheckConstraints are checked before any save, whatever a step checks."""
    from applications.forms import PlanStepForm, ScheduleForm

    monkeypatch.setattr(ScheduleForm, "clean", PlanStepForm.clean)  # the pair check forgotten
    response = client_for(member).post(step_url(scheduled, "schedule"), {
        "revision": 0, "schedule_start": "2027-05-01", "schedule_end": "2027-04-15",
        "schedule_notes": "5월 착수"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Constraint “plan_schedule_ends_after_start” is violated."]}
    assert value_of(response, "schedule_notes") == "5월 착수"
    plan = BusinessPlan.objects.get()
    assert (plan.schedule_start, plan.schedule_notes, plan.revision) == (
        datetime.date(2027, 3, 1), "3월 착수", 0)
