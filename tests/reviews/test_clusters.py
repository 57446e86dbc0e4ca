"""Reviewing a cluster: one application of the lead company whose latest version holds the
shared part and every member's part. Conflicts of interest cover every member company and the
cluster's supplier; the cluster's files open for assigned reviewers without a conflict."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from applications import services as application_services
from applications.demo import pdf_bytes
from clusters.models import ClusterDocument
from programs.models import EvaluationRound
from reviews import selectors, services
from reviews.enums import ConflictStatus
from reviews.models import Assignment
from tests.factories.clusters import make_submitted_cluster
from tests.factories.reviews import AssignmentFactory, ReviewerProfileFactory, submitted_review
from tests.permissions import expect_matrix

pytestmark = pytest.mark.django_db

REVIEWER_ONLY = {"anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
                 "operator_jn": 404, "reviewer": 200, "other_reviewer": 404, "staff": 404}


@pytest.fixture
def cluster(all_roles):
    """A submitted cluster of five, screened eligible by staff."""
    cluster = make_submitted_cluster()
    application_services.screen_application(cluster.application, eligible=True,
                                            user=all_roles["staff"])
    return cluster


@pytest.fixture
def cluster_round(cluster):
    return EvaluationRound.objects.get(call=cluster.call)


@pytest.fixture
def assignment(all_roles, cluster, cluster_round):
    return services.assign_reviewer(cluster_round, cluster.application,
                                    all_roles["reviewer"].reviewer_profile,
                                    actor=all_roles["staff"])


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def members(cluster):
    return list(cluster.members.select_related("company").order_by("role", "joined_at", "pk"))


def supplier_number(cluster):
    return cluster.supplier.registration_number


# --- Conflicts of interest -------------------------------------------------------------------

def test_conflict_numbers_of_a_cluster_are_every_member_and_the_supplier(cluster):
    expected = {m.company.registration_number for m in members(cluster)}
    expected.add(supplier_number(cluster))

    assert selectors.conflict_numbers([cluster.application]) == {
        cluster.application.pk: expected}


def test_conflict_numbers_leave_out_a_member_that_withdrew(cluster):
    leaving = members(cluster)[4]
    leaving.withdrawn_at = leaving.joined_at
    leaving.save(update_fields=["withdrawn_at"])

    numbers = selectors.conflict_numbers([cluster.application])[cluster.application.pk]

    assert (leaving.company.registration_number in numbers, len(numbers)) == (False, 5)


def test_conflict_numbers_of_a_cluster_named_supplier_outside_the_pool(demo):
    cluster = make_submitted_cluster()
    cluster.supplier, cluster.supplier_name = None, "풀 밖 공급기업"
    cluster.supplier_registration_number = "2208162517"
    cluster.save(update_fields=["supplier", "supplier_name", "supplier_registration_number"])

    numbers = selectors.conflict_numbers([cluster.application])[cluster.application.pk]

    assert ("2208162517" in numbers, len(numbers)) == (True, 7)


@pytest.mark.parametrize("who", ["member", "supplier"])
def test_auto_assign_never_gives_a_cluster_to_a_reviewer_of_a_member_or_its_supplier(
        cluster, cluster_round, all_roles, who):
    number = (members(cluster)[3].company.registration_number if who == "member"
              else supplier_number(cluster))
    conflicted = ReviewerProfileFactory(organisation_registration_number=number,
                                        calls=[cluster.call])
    free = [ReviewerProfileFactory(calls=[cluster.call]) for _ in range(2)]

    result = services.auto_assign(cluster_round, per_application=2, actor=all_roles["staff"])

    assert (sorted(a.reviewer_id for a in result.created), result.short) == (
        sorted(r.pk for r in free), {})
    assert conflicted.pk < free[0].pk  # the least-loaded order alone would have chosen it


def test_assign_by_hand_refuses_a_reviewer_of_a_member_company(cluster, cluster_round,
                                                               all_roles):
    reviewer = ReviewerProfileFactory(
        organisation_registration_number=members(cluster)[2].company.registration_number)

    with pytest.raises(ValidationError) as caught:
        services.assign_reviewer(cluster_round, cluster.application, reviewer,
                                 actor=all_roles["staff"])

    assert (caught.value.code, Assignment.objects.filter(reviewer=reviewer).count()) == (
        "conflict", 0)


def test_reviewer_of_a_member_company_assigned_earlier_gets_404(cluster, cluster_round,
                                                                all_roles):
    profile = all_roles["reviewer"].reviewer_profile
    profile.organisation_registration_number = members(cluster)[4].company.registration_number
    profile.save(update_fields=["organisation_registration_number"])
    # Assigned before the company joined the cluster: the automatic check still hides it.
    assignment = AssignmentFactory(round=cluster_round, application=cluster.application,
                                   reviewer=profile, conflict=ConflictStatus.NONE)
    document = ClusterDocument.objects.filter(cluster=cluster).first()

    for path in (f"/reviews/{assignment.pk}/", f"/reviews/{assignment.pk}/conflict/",
                 f"/reviews/{assignment.pk}/cluster-documents/{document.pk}/"):
        expect_matrix(all_roles, path, {**REVIEWER_ONLY, "reviewer": 404})


def test_conflict_page_names_every_member_company_and_the_supplier(cluster, assignment,
                                                                  all_roles):
    page = client_for(all_roles["reviewer"]).get(f"/reviews/{assignment.pk}/conflict/")

    content = page.content.decode()
    assert (page.context["company_name"], page.context["supplier_name"],
            page.context["cluster"]) == (
        ", ".join(m.company.name for m in members(cluster)), cluster.supplier.name, cluster)
    assert f'<dd class="col-sm-9" id="cluster-name">{cluster.name}</dd>' in content


# --- Scoring a cluster -----------------------------------------------------------------------

def test_score_page_shows_the_shared_part_and_every_members_part(cluster, assignment,
                                                                 all_roles):
    services.confirm_no_conflict(assignment, actor=all_roles["reviewer"])

    response = client_for(all_roles["reviewer"]).get(f"/reviews/{assignment.pk}/")

    plan = response.context["plan"]["cluster"]
    content = response.content.decode()
    assert (response.status_code, plan["shared"]["common_system"], plan["member_count"],
            [(m.company, m.cost, m.support_total) for m in plan["members"]],
            plan["total_support"]) == (
        200, cluster.common_system, 5,
        [(m.company.name, 60_000_000, 30_000_000) for m in members(cluster)], 150_000_000)
    assert [m.priority_claim for m in plan["members"]] == [False, True, False, False, False]
    assert (content.count('class="cluster-member"'),
            content.count('<span class="member-support">KRW 30,000,000</span>'),
            "식품 표시기준 개정으로 포장 설비를 바꿔야 했습니다." in content) == (5, 5, True)


def test_score_page_links_the_clusters_documents(cluster, assignment, all_roles):
    services.confirm_no_conflict(assignment, actor=all_roles["reviewer"])

    response = client_for(all_roles["reviewer"]).get(f"/reviews/{assignment.pk}/")

    documents = list(response.context["cluster_documents"])
    assert [d.original_name for d in documents] == ["공동사업계획서.pdf", "규제피해증빙.pdf"]
    for document in documents:
        assert (f'href="/reviews/{assignment.pk}/cluster-documents/{document.pk}/"'
                in response.content.decode())


def test_cluster_document_download_permission_matrix(cluster, assignment, all_roles):
    services.confirm_no_conflict(assignment, actor=all_roles["reviewer"])
    for document in ClusterDocument.objects.filter(cluster=cluster):
        expect_matrix(all_roles, f"/reviews/{assignment.pk}/cluster-documents/{document.pk}/",
                      REVIEWER_ONLY)


def test_cluster_document_download_is_an_attachment(cluster, assignment, all_roles):
    services.confirm_no_conflict(assignment, actor=all_roles["reviewer"])
    document = ClusterDocument.objects.get(cluster=cluster, kind="shared")

    response = client_for(all_roles["reviewer"]).get(
        f"/reviews/{assignment.pk}/cluster-documents/{document.pk}/")

    assert (response.status_code, response["Content-Disposition"].split(";")[0],
            b"".join(response.streaming_content)) == (200, "attachment",
                                                      pdf_bytes("shared plan"))


def test_cluster_document_of_another_cluster_or_unfrozen_is_404(cluster, assignment,
                                                                all_roles):
    services.confirm_no_conflict(assignment, actor=all_roles["reviewer"])
    other = make_submitted_cluster()
    foreign = ClusterDocument.objects.filter(cluster=other).first()
    later = ClusterDocument.objects.create(
        cluster=cluster, kind="shared", file=foreign.file.name, original_name="나중.pdf",
        content_type="application/pdf", size=1)
    client = client_for(all_roles["reviewer"])

    statuses = [client.get(f"/reviews/{assignment.pk}/cluster-documents/{d.pk}/").status_code
                for d in (foreign, later)]

    assert statuses == [404, 404]


def test_cluster_documents_404_once_the_reviewer_declares_a_conflict(cluster, assignment,
                                                                     all_roles):
    services.declare_conflict(assignment, actor=all_roles["reviewer"], reason="회원사 자문")
    document = ClusterDocument.objects.filter(cluster=cluster).first()

    expect_matrix(all_roles, f"/reviews/{assignment.pk}/cluster-documents/{document.pk}/",
                  {**REVIEWER_ONLY, "reviewer": 404})


def test_cluster_documents_before_the_conflict_answer_are_404(cluster, assignment, all_roles):
    document = ClusterDocument.objects.filter(cluster=cluster).first()

    response = client_for(all_roles["reviewer"]).get(
        f"/reviews/{assignment.pk}/cluster-documents/{document.pk}/")

    assert response.status_code == 404


# --- Staff pages ---------------------------------------------------------------------------------

def test_staff_application_page_says_it_is_a_cluster(cluster, cluster_round, assignment,
                                                     all_roles):
    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{cluster_round.pk}/applications/{cluster.application.pk}/")

    assert (response.status_code, f"the cluster “{cluster.name}”" in response.content.decode()
            ) == (200, True)


@pytest.mark.parametrize("count", [1, 3])
def test_reviewer_queue_with_clusters_query_count_is_constant(all_roles, count,
                                                              django_assert_num_queries):
    profile = all_roles["reviewer"].reviewer_profile
    for _ in range(count):
        cluster = make_submitted_cluster()
        application_services.screen_application(cluster.application, eligible=True,
                                                user=all_roles["staff"])
        AssignmentFactory(round=EvaluationRound.objects.get(call=cluster.call),
                          application=cluster.application, reviewer=profile)
    client = client_for(all_roles["reviewer"])

    # session, user (the reviewer profile comes with it), the page's ids sorted, its rows
    with django_assert_num_queries(4):
        response = client.get("/reviews/")

    assert response.content.decode().count('class="small text-muted cluster-name"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_score_matrix_with_clusters_query_count_is_constant(all_roles, count,
                                                            django_assert_num_queries):
    for _ in range(count):
        cluster = make_submitted_cluster()
        application_services.screen_application(cluster.application, eligible=True,
                                                user=all_roles["staff"])
        evaluation_round = EvaluationRound.objects.get(call=cluster.call)
        submitted_review(cluster.application, evaluation_round, 75)
    client = client_for(all_roles["staff"])

    url = f"/manage/reviews/rounds/{evaluation_round.pk}/matrix/"
    # The first read stores the standing (reviews.matrix) and the round's tally.
    with django_assert_num_queries(22):
        client.get(url)
    with django_assert_num_queries(8):  # the standing and the tally current
        response = client.get(url)

    # Once in the matrix, once in the ranking.
    assert (len(response.context["matrix"].ranked),
            response.content.decode().count('class="small text-muted cluster-name"')) == (
        count, 2 * count)
