from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clusters import services, submission
from clusters.enums import ClusterStatus
from clusters.models import Cluster, ClusterDocument
from tests.factories.applications import CompanyFactory, SupplierFactory
from tests.factories.clusters import (
    ClusterFactory,
    ClusterInvitationFactory,
    ClusterMemberFactory,
    complete_part,
    demo_cluster_track,
    lead_user,
    make_cluster,
    member_user,
    user_for,
    valid_part,
)
from tests.factories.portal import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def track(demo):
    return demo_cluster_track()


def client_for(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def text(response):
    return response.content.decode()


def close_call(call):
    call.opens_at = timezone.now() - timedelta(days=30)
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save(update_fields=["opens_at", "closes_at"])


# --- Opening ---------------------------------------------------------------------------------

def test_open_page_without_company_explains_what_to_do(track):
    response = client_for(UserFactory()).get(reverse("clusters:open"))

    assert response.status_code == 200
    assert "Your account does not act for a company yet." in text(response)
    assert 'id="open-form"' not in text(response)


def test_open_cluster_with_pool_supplier_redirects_to_the_cluster(track):
    user = user_for(CompanyFactory())
    supplier = SupplierFactory()

    response = client_for(user).post(reverse("clusters:open"), {
        "call": track.call_id, "name": "장류 클러스터", "shared_process": "발효",
        "supplier": supplier.pk, "common_system": "MES", "system_scope": "발효 공정"})

    cluster = Cluster.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("clusters:detail", args=[cluster.pk])
    assert (cluster.name, cluster.supplier) == ("장류 클러스터", supplier)


def test_open_cluster_outside_pool_without_number_keeps_what_was_typed(track):
    user = user_for(CompanyFactory())

    response = client_for(user).post(reverse("clusters:open"), {
        "call": track.call_id, "name": "장류 클러스터", "shared_process": "발효 공정 설명",
        "supplier": "", "supplier_name": "외부솔루션", "supplier_registration_number": "",
        "common_system": "MES", "system_scope": "발효 공정"})

    assert response.status_code == 200
    assert ("A supplier outside the pool must be named with its business registration "
            "number.") in text(response)
    assert 'value="외부솔루션"' in text(response)
    assert "발효 공정 설명" in text(response)
    assert Cluster.objects.count() == 0


def test_open_cluster_error_in_korean_by_default(track):
    user = user_for(CompanyFactory())

    response = client_for(user, language="ko").post(reverse("clusters:open"), {
        "call": track.call_id, "name": "장류 클러스터", "shared_process": "발효",
        "supplier_name": "외부솔루션", "common_system": "MES", "system_scope": "발효 공정"})

    assert "풀에 없는 공급기업은 사업자등록번호와 함께 입력해야 합니다." in text(response)


def test_open_page_points_to_the_cluster_the_company_is_in(track):
    cluster = make_cluster(2, complete=False)

    page = text(client_for(member_user(cluster.members.get(role="member"))).get(
        reverse("clusters:open")))

    assert (f"Your company is already in the cluster “{cluster.name}” for this call; a "
            "company can be in only one cluster of a call.") in page
    assert reverse("clusters:detail", args=[cluster.pk]) in page


def test_open_cluster_company_already_in_a_cluster_refused_and_kept(track):
    other = make_cluster(2, complete=False)
    user = member_user(other.members.get(role="member"))

    response = client_for(user).post(reverse("clusters:open"), {
        "call": track.call_id, "name": "두번째 클러스터", "shared_process": "발효",
        "supplier": SupplierFactory().pk, "common_system": "MES", "system_scope": "범위"})

    assert response.status_code == 200
    assert "is already in the cluster" in text(response)
    assert 'value="두번째 클러스터"' in text(response)


# --- Inviting --------------------------------------------------------------------------------

def test_invite_wrong_check_digit_shows_message_and_keeps_input(track):
    cluster = ClusterFactory()

    response = client_for(user_for(cluster.lead_company)).post(
        reverse("clusters:invite", args=[cluster.pk]),
        {"registration_number": "124-81-00999", "email": "ceo@member.test"})

    assert response.status_code == 200
    assert "its check digit does not match" in text(response)
    assert 'value="124-81-00999"' in text(response)
    assert 'value="ceo@member.test"' in text(response)
    assert cluster.invitations.count() == 0


def test_invite_lead_itself_shows_message(track):
    cluster = ClusterFactory()

    response = client_for(user_for(cluster.lead_company)).post(
        reverse("clusters:invite", args=[cluster.pk]),
        {"registration_number": cluster.lead_company.registration_number_display,
         "email": "me@lead.test"})

    assert response.status_code == 200
    assert "This is the lead company&#x27;s own registration number" in text(response)


def test_invite_valid_sends_email_and_lists_invitation(track,
                                                      django_capture_on_commit_callbacks):
    cluster = ClusterFactory()
    client = client_for(user_for(cluster.lead_company))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clusters:invite", args=[cluster.pk]),
                               {"registration_number": "124-81-00998",
                                "email": "ceo@member.test"}, follow=True)

    assert response.status_code == 200
    assert "The invitation was sent to ceo@member.test." in text(response)
    assert "124-81-00998" in text(response)
    assert [m.to for m in mail.outbox] == [["ceo@member.test"]]


def test_cancel_invitation(track):
    invitation = ClusterInvitationFactory()
    client = client_for(user_for(invitation.cluster.lead_company))

    response = client.post(reverse("clusters:invitation_cancel",
                                   args=[invitation.cluster_id, invitation.pk]))

    invitation.refresh_from_db()
    assert response.status_code == 302
    assert invitation.cancelled_at is not None


# --- Accepting -------------------------------------------------------------------------------

def test_invitation_accepted_by_member_of_the_company(track):
    company = CompanyFactory()
    user = user_for(company, email="ceo@member.test")
    invitation = ClusterInvitationFactory(email="ceo@member.test",
                                          registration_number=company.registration_number)
    client = client_for(user)
    url = reverse("clusters:invitation", args=[invitation.token])

    page = client.get(url)
    response = client.post(url)

    assert 'id="accept-invitation"' in text(page)
    assert response.status_code == 302
    assert response.url == reverse("clusters:part", args=[invitation.cluster_id])
    assert invitation.cluster.members.filter(company=company).count() == 1


def test_invitation_for_another_email_shows_the_problem(track):
    invitation = ClusterInvitationFactory(email="ceo@member.test")

    response = client_for(UserFactory(email="other@member.test")).get(
        reverse("clusters:invitation", args=[invitation.token]))

    assert response.status_code == 200
    assert ("This invitation was sent to ceo@member.test. Sign in with that address to accept "
            "it.") in text(response)
    assert invitation.cluster.shared_process not in text(response)


def test_invitation_registers_the_company_when_account_has_none(track):
    from programs.models import Region

    user = UserFactory(email="new@member.test")
    invitation = ClusterInvitationFactory(email="new@member.test",
                                          registration_number="1208147521")
    url = reverse("clusters:invitation", args=[invitation.token])
    data = {"name": "새회사", "representative": "김대표", "address": "서울시 중구",
            "region": Region.objects.get(code="JN").pk, "ksic_code": "C10",
            "employees": "12", "revenue": "1000000000", "is_sme": "on"}

    bad = client_for(user).post(url, {**data, "employees": ""})
    response = client_for(user).post(url, data)

    assert bad.status_code == 200
    assert 'value="새회사"' in text(bad)
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.membership.company.name, user.membership.company.registration_number) == (
        "새회사", "1208147521")


def test_invitation_signed_out_names_the_lead_the_call_and_leads_to_sign_in(track):
    invitation = ClusterInvitationFactory(email="ceo@member.test")
    url = reverse("clusters:invitation", args=[invitation.token])
    cluster = invitation.cluster

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    accepting = Client().post(url)

    assert page.status_code == 200
    assert (f"<strong>{cluster.lead_company.name}</strong> invites the company "
            f"{invitation.registration_number_display} to the cluster “{cluster.name}”."
            in text(page))
    assert cluster.call.title_en in text(page)
    assert f'href="/accounts/signup/?next={url}"' in page.content.decode()
    assert f'href="/accounts/login/?next={url}"' in page.content.decode()
    assert cluster.shared_process not in text(page)  # the cluster's plan waits for sign-in
    assert accepting.status_code == 302
    assert accepting.url.startswith(reverse("account_login"))


def test_invitation_signed_out_once_cancelled_says_so(track):
    invitation = ClusterInvitationFactory(cancelled_at=timezone.now())

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("clusters:invitation", args=[invitation.token]))

    assert "This invitation can no longer be accepted." in text(page)
    assert 'id="invitation-signup"' not in page.content.decode()


# --- Members' parts --------------------------------------------------------------------------

@pytest.mark.parametrize(("cost", "message"), [
    ("0", "The cost must be more than zero won."),
    ("-5,000", "The cost must be more than zero won."),
    ("1,000,000,000,001", "The cost can be at most KRW 1,000,000,000,000."),
    ("12만원", "Enter an amount in won using digits; commas are allowed, as in 40,000,000."),
])
def test_part_bad_cost_shows_message_and_keeps_input(track, cost, message):
    cluster = ClusterFactory()
    client = client_for(user_for(cluster.lead_company))

    response = client.post(reverse("clusters:part", args=[cluster.pk]), {
        "cost": cost, "contribution_cash": "1,000", "contribution_in_kind": "0",
        "priority_claim": "on", "priority_evidence": "규제 강화"})

    assert response.status_code == 200
    assert message in text(response)
    assert f'value="{cost}"' in text(response)
    assert "규제 강화" in text(response)
    assert cluster.members.get().part_completed_at is None


def test_part_with_commas_saved(track):
    cluster = ClusterFactory()
    client = client_for(user_for(cluster.lead_company))

    response = client.post(reverse("clusters:part", args=[cluster.pk]), {
        "cost": "100,000,000", "contribution_cash": "30,000,000",
        "contribution_in_kind": "30,000,000"})

    member = cluster.members.get()
    assert response.status_code == 302
    assert (member.cost, member.contribution_cash, member.contribution_in_kind,
            member.part_complete) == (100_000_000, 30_000_000, 30_000_000, True)


def test_part_priority_evidence_file_kept_private(track):
    cluster = make_cluster(2, complete=False)
    member = cluster.members.get(role="member")
    client = client_for(member_user(member))

    response = client.post(reverse("clusters:part", args=[cluster.pk]), {
        **{k: f"{v:,}" for k, v in valid_part(member, 50_000_000).items()},
        "priority_claim": "on", "priority_evidence": "",
        "evidence": SimpleUploadedFile("규제통지.pdf", PDF, content_type="application/pdf")})

    document = ClusterDocument.objects.get()
    download = reverse("clusters:document", args=[cluster.pk, document.pk])
    assert response.status_code == 302
    assert (document.member, document.kind) == (member, "priority_evidence")
    assert client.get(download)["Content-Disposition"].startswith("attachment")
    assert client_for(lead_user(cluster)).get(download).status_code == 404


def test_part_preview_computes_support_on_the_server(track):
    cluster = ClusterFactory()
    client = client_for(user_for(cluster.lead_company))
    url = reverse("clusters:part_preview", args=[cluster.pk])

    capped = client.get(url, {"cost": "100,000,000"})
    rounded = client.get(url, {"cost": "12345678"})
    zero = client.get(url, {"cost": "0"})

    assert "the support is <strong>KRW 40,000,000</strong>" in text(capped)
    assert "the support is <strong>KRW 6,172,000</strong>" in text(rounded)
    assert "The cost must be more than zero won." in text(zero)


# --- Privacy and 404 -------------------------------------------------------------------------

# Costs whose halves, contributions and cash parts never spell another member's cost.
COSTS = [13_000_000, 27_000_000, 41_000_000, 59_000_000, 73_000_000]
FIGURES = ["13,000,000", "27,000,000", "41,000,000", "59,000,000", "73,000,000"]


def test_members_do_not_see_each_others_figures(track):
    cluster = make_cluster(5, costs=COSTS)
    members = list(cluster.members.order_by("role", "pk"))
    second = members[1]

    page = text(client_for(member_user(second)).get(reverse("clusters:detail",
                                                            args=[cluster.pk])))
    lead_page = text(client_for(lead_user(cluster)).get(reverse("clusters:detail",
                                                                args=[cluster.pk])))

    assert [figure in page for figure in FIGURES] == [False, True, False, False, False]
    assert "KRW 27,000,000" in page
    assert [figure in lead_page for figure in FIGURES] == [True, False, False, False, False]
    assert page.count("Part complete") == 5


def test_staff_see_every_part(track):
    cluster = make_cluster(5, costs=COSTS)
    staff = UserFactory(is_staff=True)

    page = text(client_for(staff).get(reverse("clusters:detail", args=[cluster.pk])))

    assert [figure in page for figure in FIGURES] == [True] * 5


def test_non_member_company_gets_404_on_pages_and_documents(track):
    cluster = make_cluster(5)
    document = services.add_shared_document(
        cluster, user=lead_user(cluster), mime="application/pdf",
        upload=SimpleUploadedFile("견적서.pdf", PDF, content_type="application/pdf"))
    outsider = client_for(user_for(CompanyFactory()))
    member = client_for(member_user(cluster.members.filter(role="member").first()))
    urls = [reverse(name, args=[cluster.pk]) for name in
            ("clusters:detail", "clusters:edit", "clusters:invite", "clusters:part",
             "clusters:leave", "clusters:withdraw_submission")]
    document_url = reverse("clusters:document", args=[cluster.pk, document.pk])

    assert [outsider.get(url).status_code for url in [*urls, document_url]] == [404] * 7
    assert outsider.post(reverse("clusters:submit", args=[cluster.pk])).status_code == 404
    assert member.get(document_url).status_code == 200


# --- Submitting, leaving, the deadline -------------------------------------------------------

def test_submit_cluster_of_four_shows_why(track):
    cluster = make_cluster(4)

    response = client_for(lead_user(cluster)).post(reverse("clusters:submit",
                                                           args=[cluster.pk]))

    assert response.status_code == 200
    assert ("A cluster needs at least 5 member companies (the lead included) that have "
            "accepted and completed their part; this one has 4.") in text(response)
    cluster.refresh_from_db()
    assert cluster.status == ClusterStatus.DRAFT


def test_submit_cluster_of_five_shows_receipt_number(track):
    cluster = make_cluster(5)

    response = client_for(lead_user(cluster)).post(
        reverse("clusters:submit", args=[cluster.pk]), follow=True)

    assert "The cluster is submitted. Receipt number: 2025-CL-0001." in text(response)
    assert '<strong id="receipt-number">2025-CL-0001</strong>' in text(response)


def test_member_leaving_below_five_returns_to_draft_and_loses_access(track):
    cluster = make_cluster(5)
    submission.submit_cluster(cluster, user=lead_user(cluster))
    leaving = cluster.members.filter(role="member").last()
    client = client_for(member_user(leaving))

    response = client.post(reverse("clusters:leave", args=[cluster.pk]), {"reason": "사정"})

    cluster.refresh_from_db()
    assert response.status_code == 302
    assert cluster.status == ClusterStatus.DRAFT
    assert client.get(reverse("clusters:detail", args=[cluster.pk])).status_code == 404
    dashboard = text(client_for(lead_user(cluster)).get(reverse("dashboard")))
    assert (f"{leaving.company.name} left and only 4 companies remain: the cluster is back "
            "in draft and must be submitted again before the deadline.") in dashboard


def test_after_deadline_pages_are_read_only_with_explanation(track):
    cluster = make_cluster(5)
    close_call(track.call)
    client = client_for(lead_user(cluster))

    detail = text(client.get(reverse("clusters:detail", args=[cluster.pk])))
    part = text(client.get(reverse("clusters:part", args=[cluster.pk])))
    post = client.post(reverse("clusters:part", args=[cluster.pk]), {
        "cost": "10,000,000", "contribution_cash": "5,000,000", "contribution_in_kind": "0"})

    assert "Everything on this cluster is now read-only" in detail
    assert 'id="submit-cluster"' not in detail
    assert 'id="part-form"' not in part
    assert post.status_code == 200
    assert "The application period closed on" in text(post)


# --- Dashboard -------------------------------------------------------------------------------

def test_dashboard_shows_cluster_status_to_lead_and_members(track):
    cluster = make_cluster(5)
    submission.submit_cluster(cluster, user=lead_user(cluster))
    member = cluster.members.filter(role="member").first()

    lead_page = text(client_for(lead_user(cluster)).get(reverse("dashboard")))
    member_page = text(client_for(member_user(member)).get(reverse("dashboard")))

    for page in (lead_page, member_page):
        assert cluster.name in page
        assert "2025-CL-0001" in page
        assert '<span class="badge text-bg-success" id="cluster-status">Submitted</span>' in page
    assert "Your company leads this cluster." in lead_page
    assert f"Your company is a member; {cluster.lead_company.name} leads." in member_page


def test_dashboard_shows_invitation_to_the_invited_email(track):
    invitation = ClusterInvitationFactory(email="ceo@member.test")

    page = text(client_for(UserFactory(email="ceo@member.test")).get(reverse("dashboard")))

    assert reverse("clusters:invitation", args=[invitation.token]) in page


def _clusters_for(company, count):
    """``count`` clusters with ``company`` in them (lead of some, member of the others), each
    in its own cluster call since a company is in one cluster per call."""
    from tests.factories.programs import CallFactory, FundingShareFactory, TrackFactory

    for n in range(count):
        track = TrackFactory(call=CallFactory(region=None), kind="cluster", min_members=5,
                             max_project_cost=None, total_cap=40_000_000)
        FundingShareFactory(track=track, source="national", rate="0.5",
                            per_company_cap=40_000_000)
        if n % 2:
            cluster = ClusterFactory(track=track)
            complete_part(ClusterMemberFactory(cluster=cluster, company=company))
        else:
            cluster = ClusterFactory(track=track, lead_company=company)
        ClusterMemberFactory(cluster=cluster)
        ClusterInvitationFactory(cluster=cluster)


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_section_query_count_is_the_same_for_one_or_many_clusters(
        track, count, django_assert_num_queries, rf):
    """The cluster section alone (other apps' sections are measured by their own tests)."""
    from django.template.loader import render_to_string

    from clusters.views import dashboard_sections

    company = CompanyFactory()
    user = user_for(company)
    _clusters_for(company, count)
    request = rf.get(reverse("dashboard"))
    request.user = type(user).objects.get(pk=user.pk)

    with django_assert_num_queries(7):
        [section] = dashboard_sections(request)
        html = render_to_string(section["template"], {"section": section, "user": request.user},
                                request=request)

    assert html.count('class="card mb-3 cluster-row"') == count
