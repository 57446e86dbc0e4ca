"""Staff's review pages: assignment overview, replacements, progress, the score matrix and its
exports."""

from decimal import Decimal

import pytest

from applications.enums import ApplicationStatus
from reviews.models import Assignment
from tests.factories.reviews import AssignmentFactory, ReviewerProfileFactory
from tests.reviews.helpers import (
    client_for,
    demo_round,
    matrix_setup,
    points_data,
    reviewable_application,
)

pytestmark = pytest.mark.django_db
D = Decimal


# --- Staff pages --------------------------------------------------------------------------

def test_auto_assign_form_refuses_zero(all_roles, english):
    evaluation_round = demo_round()

    response = client_for(all_roles["staff"]).post(
        f"/manage/reviews/rounds/{evaluation_round.pk}/", {"per_application": "0"})

    assert (response.status_code, response.context["form"].errors) == (
        200, {"per_application": ["Assign at least one reviewer per application."]})


def test_auto_assign_form_assigns_and_reports(all_roles):
    evaluation_round = demo_round()
    application = reviewable_application(evaluation_round, status=ApplicationStatus.ELIGIBLE)
    for _ in range(3):
        ReviewerProfileFactory(calls=[evaluation_round.call])

    response = client_for(all_roles["staff"]).post(
        f"/manage/reviews/rounds/{evaluation_round.pk}/", {"per_application": "3"})

    application.refresh_from_db()
    assert response.status_code == 302
    assert (Assignment.objects.filter(application=application).count(), application.status) == (
        3, ApplicationStatus.UNDER_REVIEW)


def test_round_page_query_count_is_constant(all_roles, django_assert_num_queries):
    evaluation_round = demo_round()
    client = client_for(all_roles["staff"])
    counts = []
    for _ in range(2):
        application = reviewable_application(evaluation_round)
        for _ in range(2):
            AssignmentFactory(round=evaluation_round, application=application)
        # The round changed: its tally is counted again (by reviewer) and stored.
        with django_assert_num_queries(9) as captured:
            client.get(f"/manage/reviews/rounds/{evaluation_round.pk}/")
        counts.append(len(captured.captured_queries))
        with django_assert_num_queries(7) as captured:  # unchanged: the stored tally
            client.get(f"/manage/reviews/rounds/{evaluation_round.pk}/")
        counts.append(len(captured.captured_queries))
    assert counts == [9, 7, 9, 7]


def test_replace_view_assigns_the_chosen_reviewer(all_roles, scenario):
    evaluation_round, application, assignment = scenario
    chosen = ReviewerProfileFactory()

    response = client_for(all_roles["staff"]).post(
        f"/manage/reviews/assignments/{assignment.pk}/replace/",
        {"reviewer": chosen.pk, "reason": "일정 불가"})

    assert response["Location"] == (f"/manage/reviews/rounds/{evaluation_round.pk}/"
                                    f"applications/{application.pk}/")
    assert list(Assignment.objects.active().filter(application=application)
                .values_list("reviewer", flat=True)) == [chosen.pk]


def test_reopen_view_needs_a_reason(all_roles, scenario, english):
    evaluation_round, _application, assignment = scenario
    client_for(all_roles["reviewer"]).post(
        f"/reviews/{assignment.pk}/",
        points_data(evaluation_round, ["25", "18", "17", "16", "8"], action="submit"))
    client = client_for(all_roles["staff"])

    refused = client.post(f"/manage/reviews/assignments/{assignment.pk}/reopen/", {"reason": ""})
    done = client.post(f"/manage/reviews/assignments/{assignment.pk}/reopen/",
                       {"reason": "합계 오기"})

    assignment.refresh_from_db()
    assert refused.context["form"].errors == {
        "reason": ["Give the reason for reopening the review."]}
    assert (done.status_code, assignment.is_submitted) == (302, False)
    assert assignment.events.last().reason == "합계 오기"


def test_mark_scored_view_refuses_with_the_reason(all_roles, scenario, english):
    evaluation_round, application, _assignment = scenario
    client = client_for(all_roles["staff"])

    response = client.post(f"/manage/reviews/rounds/{evaluation_round.pk}/applications/"
                           f"{application.pk}/mark-scored/", follow=True)

    application.refresh_from_db()
    assert [str(m) for m in response.context["messages"]] == ["0 of 1 reviews are submitted."]
    assert application.status == ApplicationStatus.UNDER_REVIEW


# --- The score matrix and exports ---------------------------------------------------------

@pytest.mark.parametrize("count", [1, 3])
def test_score_matrix_query_count_is_constant(all_roles, count, django_assert_num_queries):
    evaluation_round, _applications = matrix_setup(count)
    client = client_for(all_roles["staff"])

    url = f"/manage/reviews/rounds/{evaluation_round.pk}/matrix/"
    # The first read after a change ranks the round and stores its standing (reviews.matrix):
    # the revision, the ranking, the fairness advice's 3, the standing's lock and rows; the
    # round's tally is counted and stored.
    with django_assert_num_queries(22):
        client.get(url)
    with django_assert_num_queries(8):  # the standing and the tally current: its rows only
        response = client.get(url)

    assert len(response.context["matrix"].rows) == count


def test_score_matrix_figures(all_roles):
    evaluation_round, [first, second] = matrix_setup(2)
    draft = AssignmentFactory(round=evaluation_round, application=second,
                              reviewer__user__full_name="위원9")

    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/matrix/")

    matrix = response.context["matrix"]
    assert [str(r) for r in matrix.reviewers] == ["위원0", "위원1", "위원2", "위원9"]
    assert matrix.rows[1].cells[3].assignment == draft
    assert [(row.application.pk, [c.total if c else None for c in row.cells], row.submitted,
             row.expected, row.spread.mean, row.spread.median, row.spread.stdev,
             row.score.final_score, row.score.rank) for row in matrix.rows] == [
        (first.pk, [D(80), D(70), D(75), None], 3, 3, D("75.00"), D("75.00"), D("4.08"),
         D("75.00"), 1),
        (second.pk, [D(79), D(69), D(74), None], 3, 4, D("74.00"), D("74.00"), D("4.08"),
         D("74.00"), 2),
    ]
    assert (matrix.submitted, matrix.expected, matrix.percent_done) == (6, 7, 86)


def test_export_csv_lists_the_matrix(all_roles, english):
    evaluation_round, [application] = matrix_setup(1)

    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/export.csv")

    lines = response.getvalue().decode("utf-8-sig").splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0] == ("Receipt number,Company,Track,Status,위원0,위원1,위원2,Submitted,"
                        "Assigned,Mean,Median,Standard deviation,Base score,Bonus,Final score,"
                        "Rank,Cut-off,Calibrated score,Calibrated rank,Range,Disagreement")
    assert lines[1] == (f"{application.receipt_number},{application.company.name},Basic,"
                        "Under review,80.0,70.0,75.0,3,3,75.00,75.00,4.08,75.00,0,75.00,1,Above,"
                        "75.00,1,10.0,")


def test_export_xlsx_opens_with_the_same_figures(all_roles, english):
    from io import BytesIO

    from openpyxl import load_workbook

    evaluation_round, [application] = matrix_setup(1)

    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/export.xlsx")

    sheet = load_workbook(BytesIO(response.getvalue())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1] == [application.receipt_number, application.company.name, "Basic",
                       "Under review", 80, 70, 75, 3, 3, 75, 75, 4.08, 75, 0, 75, 1, "Above",
                       75, 1, 10, None]


def test_export_unknown_format_is_404(all_roles):
    evaluation_round = demo_round()
    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/export.pdf")
    assert response.status_code == 404
