"""Issue 14 item 7 on the scoring page: a criterion scored below 40% or above 90% of its maximum
needs a comment before submitting; the page says so and marks the comment field, keeping what
the reviewer typed."""

import pytest

from tests.reviews.helpers import client_for, points_data

pytestmark = pytest.mark.django_db


def test_score_page_says_when_a_comment_is_needed(all_roles, scenario):
    _round, _application, assignment = scenario
    response = client_for(all_roles["reviewer"]).get(f"/reviews/{assignment.pk}/")
    assert ("A criterion scored below 40% or above 90% of its maximum needs a short comment "
            "before you submit, so that staff can read why.") in response.content.decode()


def test_submit_without_the_comment_marks_the_comment_field_and_keeps_the_points(
        all_roles, scenario, english):
    evaluation_round, _application, assignment = scenario
    first, second, *_rest = evaluation_round.criteria.order_by("order")
    response = client_for(all_roles["reviewer"]).post(
        f"/reviews/{assignment.pk}/",
        points_data(evaluation_round, ["29", "18", "17", "16", "8"], ["", "무난", "", "", ""],
                    action="submit"))

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors == {f"comment_{first.pk}": [
        "29 of 30 points is below 40% or above 90% of the maximum: say why in a short comment "
        "before submitting."]}
    assert (form[f"points_{first.pk}"].value(), form[f"comment_{second.pk}"].value()) == (
        "29", "무난")
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
