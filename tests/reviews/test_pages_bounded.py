"""Every list of the reviews app shows a bounded page of rows, whatever the size of the call,
and reads it in the same number of queries."""

from programs.models import EvaluationRound
from reviews import views
from tests.factories.reviews import AssignmentFactory
from tests.reviews.helpers import client_for


def demo_round(code="2025-GB"):
    return EvaluationRound.objects.select_related("call").get(call__code=code)


def test_reviewer_queue_page_size_bounded(role_users, monkeypatch):
    assert views.ReviewerQueueView.paginate_by == 50
    monkeypatch.setattr(views.ReviewerQueueView, "paginate_by", 2)
    evaluation_round = demo_round()
    profile = role_users["reviewer"].reviewer_profile
    for _ in range(3):
        AssignmentFactory(round=evaluation_round, reviewer=profile)
    client = client_for(role_users["reviewer"])

    first = client.get("/reviews/")
    second = client.get("/reviews/?page=2")

    assert (len(first.context["assignments"]), first.context["page_obj"].has_next(),
            len(second.context["assignments"]), second.context["page_obj"].has_next()) == (
        2, True, 1, False)
    assert 'rel="next" href="?page=2"' in first.content.decode()


def test_reviewer_queue_page_past_the_end_is_404(role_users):
    AssignmentFactory(round=demo_round(), reviewer=role_users["reviewer"].reviewer_profile)
    assert client_for(role_users["reviewer"]).get("/reviews/?page=9").status_code == 404


def test_round_assignments_page_size_bounded(role_users, monkeypatch):
    assert (views.RoundAssignmentsView.applications_per_page,
            views.RoundAssignmentsView.conflicts_per_page,
            views.RoundAssignmentsView.reviewers_per_page) == (50, 50, 100)
    monkeypatch.setattr(views.RoundAssignmentsView, "applications_per_page", 2)
    monkeypatch.setattr(views.RoundAssignmentsView, "reviewers_per_page", 2)
    evaluation_round = demo_round()
    for _ in range(3):
        AssignmentFactory(round=evaluation_round)
    client = client_for(role_users["staff"])
    url = f"/manage/reviews/rounds/{evaluation_round.pk}/"

    first = client.get(url)
    second = client.get(f"{url}?page=2&reviewers=2")

    assert [(len(r.context["applications"]), len(r.context["reviewers"]))
            for r in (first, second)] == [(2, 2), (1, 1)]
    assert 'rel="next" href="?page=2"' in first.content.decode()
    # The other list's page is kept when moving through one.
    assert 'rel="prev" href="?reviewers=2&amp;page=1"' in second.content.decode()


def test_score_matrix_page_size_bounded(role_users, monkeypatch):
    assert views.MatrixView.per_page == 50
    monkeypatch.setattr(views.MatrixView, "per_page", 2)
    evaluation_round = demo_round()
    for _ in range(3):
        AssignmentFactory(round=evaluation_round)
    client = client_for(role_users["staff"])
    url = f"/manage/reviews/rounds/{evaluation_round.pk}/matrix/"

    first = client.get(f"{url}?order=receipt")
    second = client.get(f"{url}?order=receipt&page=2")

    assert [(len(r.context["matrix"].rows), r.context["matrix"].page.matching)
            for r in (first, second)] == [(2, 3), (1, 3)]
    assert 'rel="next" href="?order=receipt&amp;page=2"' in first.content.decode()
    assert [row.application.receipt_number for row in first.context["matrix"].rows] == sorted(
        row.application.receipt_number for row in first.context["matrix"].rows)


def test_exports_stream_the_whole_matrix_beyond_a_page(role_users, monkeypatch):
    from django.http import FileResponse, StreamingHttpResponse

    from reviews import matrix

    monkeypatch.setattr(views.MatrixView, "per_page", 2)
    original = matrix.matrix_export
    monkeypatch.setattr(matrix, "matrix_export",
                        lambda evaluation_round: original(evaluation_round, chunk=2))
    evaluation_round = demo_round()
    for _ in range(5):
        AssignmentFactory(round=evaluation_round)
    client = client_for(role_users["staff"])
    url = f"/manage/reviews/rounds/{evaluation_round.pk}/export"

    csv_response = client.get(f"{url}.csv")
    xlsx_response = client.get(f"{url}.xlsx")

    assert (isinstance(csv_response, StreamingHttpResponse),
            isinstance(xlsx_response, FileResponse)) == (True, True)
    lines = csv_response.getvalue().decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 5
