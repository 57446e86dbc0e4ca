"""Issue 14 item 1 in the award run: a call evaluated in two rounds allocates by the weighted
final score (rule version 2025.2-rounds, the rounds in the run's inputs), and the stability of
each decision leaves out one reviewer of the last round at a time, the document round's scores
held as they closed."""

from decimal import Decimal

import pytest

from applications.enums import ApplicationStatus
from awards.allocation import RULE_VERSION
from awards.enums import Outcome
from awards.models import ResultLine
from reviews import round_services
from reviews import services as review_services
from tests.awards.test_services import start
from tests.factories.reviews import submitted_review
from tests.reviews.test_rounds import scored, two_rounds

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def two_round_call(demo, staff):
    call, documents, presentation, panel, tracks = two_rounds()
    basic = call.tracks.get(kind="basic")
    basic.target_count = 2
    basic.save(update_fields=["target_count"])
    plan = {"A": ((85, 85, 85), (88, 80, 84)), "B": ((80, 80, 80), (82, 78, 80)),
            "C": ((80, 80, 80), (60, 90, 84)), "X": ((50, 55, 52), ())}
    applications = {name: scored(basic, documents, first) for name, (first, _) in plan.items()}
    round_services.close_round(documents, actor=staff)
    round_services.open_next_round(documents, actor=staff)
    presentation.refresh_from_db()
    for name, (_first, later) in plan.items():
        for total, reviewer in zip(later, panel, strict=False):
            submitted_review(applications[name], presentation, D(total), reviewer=reviewer)
        if later:
            review_services.mark_scored(presentation, applications[name], actor=staff)
    return call, documents, presentation, applications


def test_a_two_round_run_allocates_by_the_weighted_score_with_stability(
        two_round_call, staff, django_capture_on_commit_callbacks):
    call, documents, presentation, applications = two_round_call
    run = start(call, staff, django_capture_on_commit_callbacks)
    assert run.rule_version == f"{RULE_VERSION}-rounds"
    assert run.inputs["call"]["rounds"] == [
        {"id": documents.pk, "order": 1, "weight": 40},
        {"id": presentation.pk, "order": 2, "weight": 60}]
    lines = {line.application_id: (line.outcome, line.rank, line.final_score, line.stability)
             for line in ResultLine.objects.filter(run=run)}
    a, b, c, x = (applications[name].pk for name in "ABCX")
    # A 0.4 × 85 + 0.6 × 84 = 84.40, B 32 + 48 = 80.00, C 32 + 46.80 = 78.80. Leaving out the
    # reviewer who gave C 60 puts C at 84.20, above A and B: B loses its place, C gains one.
    assert lines == {
        a: (Outcome.SELECTED, 1, D("84.40"), D("100.00")),
        b: (Outcome.SELECTED, 2, D("80.00"), D("66.67")),
        c: (Outcome.WAITLISTED, 3, D("78.80"), D("66.67")),
    }
    assert x not in lines
    candidate = next(c_ for c_ in run.inputs["candidates"] if c_["application_id"] == a)
    assert candidate["score"]["rounds"] == [[documents.pk, 40, "85.00"],
                                            [presentation.pk, 60, "84.00"]]
    applications["X"].refresh_from_db()
    assert applications["X"].status == ApplicationStatus.NOT_SELECTED


def test_the_run_export_carries_the_stability_and_the_round_scores(
        two_round_call, staff, django_capture_on_commit_callbacks):
    from io import BytesIO

    from django.test import Client
    from django.utils import translation
    from openpyxl import load_workbook

    call, documents, presentation, applications = two_round_call
    run = start(call, staff, django_capture_on_commit_callbacks)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    with translation.override("en"):
        response = client.get(f"/manage/awards/runs/{run.pk}/export.csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ("Receipt number,Company,Track,Rank,Final score,Outcome,"
                        "Waitlist position,Stability (%),Rule score,Calibrated score,"
                        "Round 1 score,Round 2 score")
    b = applications["B"]
    assert f"{b.receipt_number},{b.company.name},Basic,2,80.00,Selected,,66.67,80.00,,80.00,"\
        "80.00" in lines
    response = client.get(f"/manage/awards/runs/{run.pk}/export.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[7] for row in rows[1:]] == [100, 66.67, 66.67]
    assert client.get(f"/manage/awards/runs/{run.pk}/export.pdf").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_run_export_query_count_is_constant(jeonbuk, staff, count, django_assert_num_queries,
                                            django_capture_on_commit_callbacks):
    from django.test import Client

    from tests.factories.awards import scored_application

    call, advanced, _basic = jeonbuk
    for index in range(count):
        scored_application(advanced, cost=100_000_000, totals=(D(90 - index),))
    run = start(call, staff, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(staff)
    client.get("/")
    # session, user, the run, its inputs, its lines
    with django_assert_num_queries(5):
        response = client.get(f"/manage/awards/runs/{run.pk}/export.csv")
    assert len(response.content.decode("utf-8-sig").splitlines()) == count + 1
