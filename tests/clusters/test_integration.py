"""A submitted cluster is an ``Application`` of its lead company (``Cluster.application``).
The company's own application pages and services leave it to the cluster's pages; staff
screen it and verify its priority claim on the ordinary screening page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import translation

from applications import dashboard, services
from applications.demo import pdf_bytes
from applications.enums import ApplicationStatus, EligibilityRule
from applications.models import Application, BonusClaim, PlanVersion, StateChange
from programs.enums import TrackKind
from programs.models import Announcement, DocumentType, Region, Track
from reviews.selectors import verified_bonus
from tests.factories.applications import CompanyFactory, make_complete_application
from tests.factories.clusters import (
    demo_cluster_track,
    lead_user,
    make_submitted_cluster,
    user_for,
)
from tests.factories.portal import UserFactory

pytestmark = pytest.mark.django_db

CLUSTER_REFUSAL = ("This application represents a cluster. Its lead company changes, submits "
                   "and withdraws it on the cluster's page.")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def cluster(demo):
    return make_submitted_cluster()


@pytest.fixture
def staff(db):
    return UserFactory(email="screening@mss.test", is_staff=True, is_superuser=True)


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def member_names(cluster):
    return [m.company.name for m in cluster.members.select_related("company")
            .order_by("role", "joined_at", "pk")]


# --- The company's pages -----------------------------------------------------------------------

def test_dashboard_lists_the_cluster_application_only_in_the_cluster_section(cluster):
    application = cluster.application

    content = client_for(lead_user(cluster)).get("/dashboard/").content.decode()

    assert (f'id="cluster-{cluster.pk}"' in content,
            f'id="application-{application.pk}"' in content,
            f'href="/applications/{application.pk}/"' in content) == (True, False, False)


def test_dashboard_section_keeps_the_leads_own_application_of_another_call(cluster):
    lead = lead_user(cluster)
    own = make_complete_application(
        Track.objects.get(call__code="2025-GB", kind=TrackKind.BASIC),
        company=cluster.lead_company, created_by=lead)
    request = RequestFactory().get("/dashboard/")
    request.user = lead

    [section] = dashboard.sections(request)

    assert [row["application"].pk for row in section["rows"]] == [own.pk]


@pytest.mark.parametrize("path", ["", "plan/company/", "plan/budget/", "documents/", "submit/",
                                  "versions/1/"])
def test_company_pages_of_a_cluster_application_lead_to_the_cluster_page(cluster, path):
    response = client_for(lead_user(cluster)).get(
        f"/applications/{cluster.application.pk}/{path}")

    assert (response.status_code, response["Location"]) == (302, f"/clusters/{cluster.pk}/")


@pytest.mark.parametrize("path, data", [
    ("submit/", {"revision": "0"}),
    ("withdraw/", {"reason": "다시 쓰겠습니다"}),
    ("reopen/", {}),
    ("plan/company/", {"revision": "0", "company_overview": "덮어쓰기"}),
    ("plan/autosave/", {"revision": "0", "field": "company_overview",
                        "company_overview": "덮어쓰기"}),
])
def test_company_actions_on_a_cluster_application_change_nothing(cluster, path, data):
    application = cluster.application

    response = client_for(lead_user(cluster)).post(f"/applications/{application.pk}/{path}",
                                                   data)

    application.refresh_from_db()
    assert (response.status_code, response["Location"], application.status,
            application.versions.count(), application.plan.company_overview) == (
        302, f"/clusters/{cluster.pk}/", ApplicationStatus.SUBMITTED, 1, "")


def test_version_page_of_a_cluster_shows_every_member_to_staff(cluster, staff):
    response = client_for(staff).get(f"/applications/{cluster.application.pk}/versions/1/")

    content = response.content.decode()
    assert (response.status_code, response.context["cluster_plan"]["member_count"],
            [name in content for name in member_names(cluster)]) == (200, 5, [True] * 5)


def test_operator_page_of_a_cluster_shows_the_shared_part_and_the_members(cluster):
    region = Region.objects.get(code="GB")
    cluster.lead_company.region = region
    cluster.lead_company.save(update_fields=["region"])
    operator = UserFactory(email="operator@gb.test", region=region)

    response = client_for(operator).get(f"/operator/applications/{cluster.application.pk}/")

    plan = response.context["cluster_plan"]
    assert (response.status_code, plan["shared"]["name"], plan["total_cost"],
            plan["total_support"], response.context["cluster_documents"][0][1]) == (
        200, cluster.name, 300_000_000, 150_000_000, False)


# --- The company's services --------------------------------------------------------------------

def refusal(call):
    with pytest.raises(services.ClusterApplicationRefused) as caught:
        call()
    return caught.value.code, caught.value.messages


def test_plan_services_refuse_a_cluster_application(cluster):
    application = Application.objects.get(pk=cluster.application.pk)
    user = lead_user(cluster)
    upload = SimpleUploadedFile("a.pdf", pdf_bytes("a"), content_type="application/pdf")
    kind = DocumentType.objects.first()

    outcomes = [
        refusal(lambda: services.save_plan(application, {"company_overview": "x"}, revision=0,
                                           user=user)),
        refusal(lambda: services.autosave_field(application, "company_overview", "x",
                                                revision=0, user=user)),
        refusal(lambda: services.add_document(application, kind, upload, "application/pdf",
                                              user=user)),
    ]

    assert outcomes == [("cluster", [CLUSTER_REFUSAL])] * 3
    assert application.plan.company_overview == ""


def test_submit_withdraw_and_reopen_refuse_a_cluster_application(cluster):
    application = Application.objects.get(pk=cluster.application.pk)
    user = lead_user(cluster)

    outcomes = [
        refusal(lambda: services.submit_application(application, user=user, revision=0)),
        refusal(lambda: services.withdraw_application(application, user=user)),
        refusal(lambda: services.reopen_application(application, user=user)),
    ]

    application.refresh_from_db()
    assert outcomes == [("cluster", [CLUSTER_REFUSAL])] * 3
    assert (application.status, PlanVersion.objects.filter(application=application).count(),
            list(StateChange.objects.filter(application=application)
                 .values_list("to_status", flat=True))) == (
        ApplicationStatus.SUBMITTED, 1, [ApplicationStatus.SUBMITTED])


def test_start_application_refuses_a_cluster_track(demo):
    company = CompanyFactory()
    user = user_for(company)

    with pytest.raises(ValidationError) as caught:
        services.start_application(company, demo_cluster_track(), user=user)

    assert (caught.value.code, caught.value.messages, company.applications.count()) == (
        "cluster_track",
        ["Companies apply to the cluster programme together: the lead company opens a cluster "
         "on the cluster pages and invites the member companies."], 0)


# --- Apply: the cluster call's announcement leads to opening a cluster -------------------------

def test_apply_button_of_the_cluster_call_leads_to_opening_a_cluster(demo):
    call = demo_cluster_track().call
    announcement = Announcement.objects.get(call=call)
    client = client_for(user_for(CompanyFactory()))

    response = client.get(f"/announcements/{announcement.pk}/apply/", follow=True)

    assert ([url for url, _status in response.redirect_chain], response.status_code,
            response.context["form"].initial["call"]) == (
        [f"/applications/start/{call.pk}/", f"/clusters/new/?call={call.pk}"], 200, call)
    assert Application.objects.filter(call=call).count() == 0


def test_start_page_of_the_cluster_call_leads_the_lead_to_its_cluster(cluster):
    response = client_for(lead_user(cluster)).get(
        f"/applications/start/{cluster.call_id}/")

    assert (response.status_code, response["Location"]) == (302, f"/clusters/{cluster.pk}/")


def test_start_page_offers_no_cluster_track_of_a_mixed_call(demo):
    basic = Track.objects.get(call__code="2025-GB", kind=TrackKind.BASIC)
    cluster_track = Track.objects.create(call=basic.call, kind=TrackKind.CLUSTER,
                                         name="클러스터", order=99, min_members=5)
    company = CompanyFactory(region=basic.call.region)
    client = client_for(user_for(company))

    page = client.get(f"/applications/start/{basic.call_id}/")
    refused = client.post(f"/applications/start/{basic.call_id}/", {"track": cluster_track.pk})

    assert (cluster_track in page.context["form"].fields["track"].queryset,
            refused.status_code, list(refused.context["form"].errors),
            company.applications.count()) == (False, 200, ["track"], 0)


# --- Staff screening ---------------------------------------------------------------------------

def test_screening_page_shows_the_cluster_members_documents_and_priority_claim(cluster, staff):
    application = cluster.application

    response = client_for(staff).get(f"/staff/applications/{application.pk}/")

    content = response.content.decode()
    documents = [(d.original_name, can) for d, can in response.context["cluster_documents"]]
    [claim] = response.context["claims"]
    assert (response.status_code, response.context["cluster"], documents,
            claim.bonus_item.code, [name in content for name in member_names(cluster)]) == (
        200, cluster, [("공동사업계획서.pdf", True), ("규제피해증빙.pdf", True)], "regulation",
        [True] * 5)
    assert "식품 표시기준 개정으로 포장 설비를 바꿔야 했습니다." in claim.evidence
    for document, _can in response.context["cluster_documents"]:
        assert f'href="/clusters/{cluster.pk}/documents/{document.pk}/"' in content


def test_screening_eligibility_names_the_member_company_that_fails(cluster, staff):
    member = cluster.members.exclude(role="lead").select_related("company").first()
    member.company.is_sme = False
    member.company.save(update_fields=["is_sme"])

    response = client_for(staff).get(f"/staff/applications/{cluster.application.pk}/")

    assert [(f.rule, f.message) for f in response.context["failures"]] == [(
        EligibilityRule.SME, f"{member.company.name}: Only SMEs may apply: confirm in the "
        "company profile that the company is an SME (중소기업).")]


def test_staff_screen_a_cluster_eligible_through_the_one_state_change(cluster, staff):
    application = cluster.application

    response = client_for(staff).post(f"/staff/applications/{application.pk}/",
                                      {"decision": "eligible", "reason": ""})

    application.refresh_from_db()
    change = application.state_changes.order_by("pk").last()
    assert (response.status_code, application.status, change.from_status, change.to_status,
            change.actor) == (302, ApplicationStatus.ELIGIBLE, ApplicationStatus.SUBMITTED,
                              ApplicationStatus.ELIGIBLE, staff)


def test_staff_screen_a_cluster_ineligible_and_the_lead_reads_the_reason(cluster, staff):
    application = cluster.application

    client_for(staff).post(f"/staff/applications/{application.pk}/",
                           {"decision": "ineligible", "reason": "공급기업 계약서가 없습니다."})
    page = client_for(lead_user(cluster)).get(f"/clusters/{cluster.pk}/")

    application.refresh_from_db()
    assert (application.status, application.screening_reason) == (
        ApplicationStatus.INELIGIBLE, "공급기업 계약서가 없습니다.")
    assert '<dd id="screening-reason">공급기업 계약서가 없습니다.</dd>' in page.content.decode()


def test_staff_verify_the_priority_claim_and_it_counts_as_bonus(cluster, staff):
    claim = BonusClaim.objects.get(application=cluster.application)

    response = client_for(staff).post(
        f"/staff/applications/{cluster.application.pk}/bonus/{claim.pk}/", {"verified": "yes"})

    claim.refresh_from_db()
    assert (response.status_code, claim.verified, claim.verified_by,
            verified_bonus(cluster.call)) == (302, True, staff,
                                              {cluster.application.pk: Decimal("3")})
