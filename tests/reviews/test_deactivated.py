"""A deactivated reviewer (``ReviewerProfile.active=False``) loses every permission that came
from being a reviewer: every reviewer page and download answers 404, for GET and POST, and no
POST changes the database. Reactivating the profile gives the access back."""

from decimal import Decimal

import pytest
from django.test import Client

from clusters.models import ClusterDocument
from programs.models import EvaluationRound
from reviews import services
from reviews.enums import ConflictStatus
from reviews.models import Assignment, ReviewEvent, Score
from tests.factories.clusters import make_submitted_cluster
from tests.factories.reviews import AssignmentFactory
from tests.permissions import expect_matrix
from tests.reviews.helpers import demo_round, points_data, reviewable_application

pytestmark = pytest.mark.django_db

REVIEWER_PAGE = {"anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
                 "operator_jn": 404, "reviewer": 404, "other_reviewer": 404, "staff": 404}


@pytest.fixture
def scenario(all_roles):
    """The reviewer has a cleared assignment with a draft score (scoring page, documents) and
    a pending one (conflict page); then staff deactivate its profile."""
    evaluation_round = demo_round()
    profile = all_roles["reviewer"].reviewer_profile
    cleared = AssignmentFactory(round=evaluation_round,
                                application=reviewable_application(evaluation_round),
                                reviewer=profile, conflict=ConflictStatus.NONE)
    criterion = evaluation_round.criteria.order_by("order").first()
    Score.objects.create(assignment=cleared, criterion=criterion, points=Decimal("12"))
    pending = AssignmentFactory(round=evaluation_round,
                                application=reviewable_application(evaluation_round),
                                reviewer=profile, conflict=ConflictStatus.PENDING)
    profile.active = False
    profile.save(update_fields=["active"])
    return evaluation_round, cleared, pending


def state():
    """Everything a reviewer's POST could change."""
    return (sorted(Assignment.objects.values_list("pk", "conflict", "conflict_reason",
                                                  "submitted_at", "released_at")),
            sorted(Score.objects.values_list("assignment_id", "criterion_id", "points",
                                             "comment")),
            ReviewEvent.objects.count())


def signed_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_deactivated_reviewer_queue_is_404(all_roles, scenario):
    expect_matrix(all_roles, "/reviews/", {**REVIEWER_PAGE, "other_reviewer": 200})


@pytest.mark.parametrize("path", ["/reviews/{c}/", "/reviews/{c}/documents/{d}/",
                                  "/reviews/{p}/conflict/", "/reviews/{p}/"])
def test_deactivated_reviewer_pages_are_404(all_roles, scenario, path):
    _round, cleared, pending = scenario
    document = cleared.application.documents.get()
    expect_matrix(all_roles, path.format(c=cleared.pk, p=pending.pk, d=document.pk),
                  REVIEWER_PAGE)


def test_deactivated_reviewer_application_document_download_is_404(all_roles, scenario):
    _round, cleared, _pending = scenario
    document = cleared.application.documents.get()
    expect_matrix(all_roles, f"/applications/{cleared.application_id}/documents/{document.pk}/",
                  {**REVIEWER_PAGE, "staff": 200})


def test_deactivated_reviewer_has_no_reviewer_permission(all_roles, scenario):
    _round, cleared, pending = scenario
    reviewer = all_roles["reviewer"]
    document = cleared.application.documents.get()
    assert {
        "view_queue": reviewer.has_perm("reviews.view_queue"),
        "score": reviewer.has_perm("reviews.score", cleared),
        "answer_conflict": reviewer.has_perm("reviews.answer_conflict", pending),
        "view_document": reviewer.has_perm("applications.view_document", document),
    } == {"view_queue": False, "score": False, "answer_conflict": False,
          "view_document": False}


def conflict_answer(answer):
    return {"answer": answer, "reason": "전 직장" if answer == "declared" else ""}


@pytest.mark.parametrize(("which", "path", "data"), [
    ("cleared", "/reviews/{pk}/", lambda r: points_data(r, ["20", "15", "15", "15", "8"])),
    ("cleared", "/reviews/{pk}/",
     lambda r: points_data(r, ["20", "15", "15", "15", "8"], action="submit")),
    ("pending", "/reviews/{pk}/conflict/", lambda r: conflict_answer("none")),
    ("pending", "/reviews/{pk}/conflict/", lambda r: conflict_answer("declared")),
], ids=["save-scores", "submit-scores", "no-conflict", "declare-conflict"])
def test_deactivated_reviewer_posts_are_404_and_change_nothing(all_roles, scenario, which,
                                                                path, data):
    evaluation_round, cleared, pending = scenario
    assignment = {"cleared": cleared, "pending": pending}[which]
    before = state()

    expect_matrix(all_roles, path.format(pk=assignment.pk), REVIEWER_PAGE, method="post",
                  data=data(evaluation_round))

    assert state() == before


def test_reactivated_reviewer_scores_again(all_roles, scenario):
    _round, cleared, pending = scenario
    profile = all_roles["reviewer"].reviewer_profile
    profile.active = True
    profile.save(update_fields=["active"])
    client = signed_in(all_roles["reviewer"])

    statuses = [client.get(path).status_code for path in (
        "/reviews/", f"/reviews/{cleared.pk}/", f"/reviews/{pending.pk}/conflict/")]

    assert statuses == [200, 200, 200]


# --- A cluster's files -----------------------------------------------------------------------

@pytest.fixture
def cluster_assignment(all_roles):
    from applications import services as application_services

    cluster = make_submitted_cluster()
    application_services.screen_application(cluster.application, eligible=True,
                                            user=all_roles["staff"])
    assignment = services.assign_reviewer(EvaluationRound.objects.get(call=cluster.call),
                                          cluster.application,
                                          all_roles["reviewer"].reviewer_profile,
                                          actor=all_roles["staff"])
    services.confirm_no_conflict(assignment, actor=all_roles["reviewer"])
    return cluster, assignment


def test_deactivated_reviewer_cluster_documents_are_404(all_roles, cluster_assignment):
    cluster, assignment = cluster_assignment
    profile = all_roles["reviewer"].reviewer_profile
    profile.active = False
    profile.save(update_fields=["active"])

    for path in [f"/reviews/{assignment.pk}/"] + [
            f"/reviews/{assignment.pk}/cluster-documents/{document.pk}/"
            for document in ClusterDocument.objects.filter(cluster=cluster)]:
        expect_matrix(all_roles, path, REVIEWER_PAGE)
