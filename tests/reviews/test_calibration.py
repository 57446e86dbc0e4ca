"""Issue 14 items 2–4 read from the database and shown to staff: the leniency table, the
calibrated score and rank beside the rule score in the matrix and ranking, disagreement flags,
and one more reviewer asked for a flagged application."""

from datetime import timedelta
from decimal import Decimal, localcontext

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from reviews import services
from reviews.calibration import round_fairness
from reviews.fairness import Calibration
from reviews.models import Assignment, ReviewEvent
from reviews.selectors import call_scores
from tests.factories.portal import UserFactory
from tests.factories.reviews import ReviewerProfileFactory, submitted_review
from tests.reviews.helpers import client_for, demo_round, reviewable_application

pytestmark = pytest.mark.django_db
D = Decimal


def lenient_and_harsh(evaluation_round):
    """Reviewer 관대 gives five applications 81 to 89, reviewer 엄격 five others 55 to 65: the
    lenient reviewer's middle application (85) outranks the harsh reviewer's best (65) by the
    rule, but not once both are on the committee's scale. Submitted a minute apart, in this
    order (the last tie-break)."""
    start = timezone.now() - timedelta(days=1)
    lenient = ReviewerProfileFactory(user=UserFactory(full_name="관대"),
                                     calls=[evaluation_round.call])
    harsh = ReviewerProfileFactory(user=UserFactory(full_name="엄격"),
                                   calls=[evaluation_round.call])
    mine = {}
    for reviewer, totals in ((lenient, (81, 83, 85, 87, 89)), (harsh, (55, 58, 60, 62, 65))):
        for total in totals:
            application = reviewable_application(evaluation_round)
            Application.objects.filter(pk=application.pk).update(
                submitted_at=start + timedelta(minutes=len(mine)))
            submitted_review(application, evaluation_round, total, reviewer=reviewer)
            mine[(reviewer.user.full_name, total)] = application
    return lenient, harsh, mine


def test_round_fairness_ranks_by_the_calibrated_score_beside_the_rule(role_users):
    evaluation_round = demo_round()
    _lenient, _harsh, mine = lenient_and_harsh(evaluation_round)
    middle, best_harsh = mine[("관대", 85)], mine[("엄격", 65)]

    advice = round_fairness(evaluation_round)
    rule = {s.application_id: s for s in call_scores(evaluation_round.call)}

    # Committee: ten totals, mean 72.5, variance 166.05; the harsh reviewer's 65 is 5 / √11.6
    # of their σ above their mean (60); the lenient one's 85 is their mean.
    with localcontext() as context:
        context.prec = 50
        expected = (D("72.5") + D(5) / D("11.6").sqrt() * D("166.05").sqrt()).quantize(
            D("0.01"))
    assert expected == D("91.42")
    assert [(rule[a.pk].final_score, rule[a.pk].rank) for a in (middle, best_harsh)] == [
        (D("85.00"), 3), (D("65.00"), 6)]
    assert [(advice.advice(a.pk).calibrated_final, advice.advice(a.pk).calibrated_rank)
            for a in (middle, best_harsh)] == [(D("72.50"), 5), (expected, 1)]
    # The harsh reviewer's 60 is their mean too: 72.50, after the lenient 85 (submitted first).
    assert advice.advice(mine[("엄격", 60)].pk).calibrated_rank == 6
    assert advice.advice(middle.pk).disagreement.flagged is False


def test_round_fairness_flags_disagreement_and_keeps_few_reviews_as_given(role_users):
    evaluation_round = demo_round()
    application = reviewable_application(evaluation_round)
    for total in (60, 90, 75):
        submitted_review(application, evaluation_round, total)
    calm = reviewable_application(evaluation_round)
    for total in (70, 75, 80):
        submitted_review(calm, evaluation_round, total)

    advice = round_fairness(evaluation_round)

    flag = advice.advice(application.pk).disagreement
    assert (flag.stdev, flag.range, flag.flagged) == (D("12.25"), D(30), True)
    assert advice.advice(calm.pk).disagreement.flagged is False
    # Six reviewers with one review each: nobody is rescaled, the scores are the rule's.
    assert {r.calibration for r in advice.reviewers.values()} == {Calibration.TOO_FEW}
    assert [advice.advice(a.pk).calibrated_final for a in (application, calm)] == [
        D("75.00"), D("75.00")]


def test_leniency_page_shows_each_reviewer_beside_the_committee(all_roles):
    evaluation_round = demo_round()
    lenient, harsh, _mine = lenient_and_harsh(evaluation_round)

    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/leniency/")

    rows = [(profile.pk, row.count, row.mean, row.stdev, row.mean_offset, row.stdev_offset,
             row.calibration) for profile, row in response.context["reviewers"]]
    assert rows == [
        (lenient.pk, 5, D("85.00"), D("2.83"), D("12.50"), D("-10.06"), Calibration.RESCALED),
        (harsh.pk, 5, D("60.00"), D("3.41"), D("-12.50"), D("-9.48"), Calibration.RESCALED),
    ]
    content = response.content.decode()
    assert "Committee: 10 totals, mean 72.50, standard deviation 12.89." in content
    assert content.count("Rescaled to the committee") == 2


def test_leniency_page_says_a_flat_reviewer_is_left_as_given(all_roles):
    evaluation_round = demo_round()
    flat = ReviewerProfileFactory(user=UserFactory(full_name="한결"))
    for _ in range(5):
        submitted_review(reviewable_application(evaluation_round), evaluation_round, 70,
                         reviewer=flat)

    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/leniency/")

    [(_profile, row)] = response.context["reviewers"]
    assert (row.calibration, row.stdev) == (Calibration.NO_SPREAD, D("0.00"))
    assert ("Counted as given: every total is the same (standard deviation 0), so there is "
            "nothing to rescale by") in response.content.decode()


@pytest.mark.parametrize("role", ["reviewer", "operator_gb", "company"])
def test_leniency_page_is_staff_only(all_roles, role):
    evaluation_round = demo_round()
    response = client_for(all_roles[role]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/leniency/")
    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_leniency_page_query_count_is_constant(all_roles, count, django_assert_num_queries):
    evaluation_round = demo_round()
    for index in range(count):
        reviewer = ReviewerProfileFactory()
        for total in (70, 80):
            submitted_review(reviewable_application(evaluation_round), evaluation_round,
                             total + index, reviewer=reviewer)
    client = client_for(all_roles["staff"])

    with django_assert_num_queries(6):  # session, user, round, reviews, reviewers, basis
        response = client.get(f"/manage/reviews/rounds/{evaluation_round.pk}/leniency/")

    assert len(response.context["reviewers"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_calibrated_ranking_query_count_is_constant(role_users, count,
                                                    django_assert_num_queries):
    evaluation_round = demo_round()
    for index in range(count):
        application = reviewable_application(evaluation_round)
        for total in (70, 80, 90):
            submitted_review(application, evaluation_round, total - index)

    with django_assert_num_queries(3):
        advice = round_fairness(evaluation_round)

    assert len(advice.applications) == count


def test_matrix_page_shows_the_calibrated_column_and_the_flag(all_roles):
    evaluation_round = demo_round()
    flagged = reviewable_application(evaluation_round)
    for total in (60, 90, 75):
        submitted_review(flagged, evaluation_round, total)

    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/matrix/")

    [row] = response.context["matrix"].rows
    assert (row.flagged, row.advice.calibrated_final, row.advice.calibrated_rank) == (
        True, D("75.00"), 1)
    content = response.content.decode()
    assert content.count("data-disagreement") == 2  # in the matrix and in the ranking
    assert content.count("data-extra-reviewer") == 1
    assert '<td class="text-end" data-calibrated>75.00</td>' in content


# --- One more reviewer for a flagged application ------------------------------------------

def flagged_and_scored(evaluation_round, staff):
    application = reviewable_application(evaluation_round)
    for total in (60, 90, 75):
        submitted_review(application, evaluation_round, total)
    services.mark_scored(evaluation_round, application, actor=staff)
    return application


def test_extra_reviewer_is_the_least_loaded_committee_member_without_a_conflict(all_roles):
    evaluation_round = demo_round()
    evaluation_round.call.reviewers.clear()
    application = flagged_and_scored(evaluation_round, all_roles["staff"])
    busy = ReviewerProfileFactory(calls=[evaluation_round.call])
    submitted_review(reviewable_application(evaluation_round), evaluation_round, 70,
                     reviewer=busy)
    ReviewerProfileFactory(  # the company's own organisation: never assigned
        calls=[evaluation_round.call],
        organisation_registration_number=application.company.registration_number)
    free = ReviewerProfileFactory(calls=[evaluation_round.call])

    response = client_for(all_roles["staff"]).post(
        f"/manage/reviews/rounds/{evaluation_round.pk}/applications/{application.pk}/"
        "extra-reviewer/", follow=True)

    application.refresh_from_db()
    [new] = Assignment.objects.filter(application=application, submitted_at__isnull=True)
    assert (new.reviewer_id, application.status) == (free.pk, ApplicationStatus.UNDER_REVIEW)
    assert Assignment.objects.counting().filter(application=application).count() == 4
    assert ReviewEvent.objects.get(assignment=new).reason == (
        "Extra reviewer: the reviewers disagree")
    assert [str(m) for m in response.context["messages"]] == [
        f"{free} is assigned to {application} as an extra reviewer."]


def test_extra_reviewer_refused_when_the_reviewers_agree(all_roles, english):
    evaluation_round = demo_round()
    application = reviewable_application(evaluation_round)
    for total in (70, 75, 80):
        submitted_review(application, evaluation_round, total)
    ReviewerProfileFactory(calls=[evaluation_round.call])

    with pytest.raises(services.ValidationError) as error:
        services.request_extra_reviewer(evaluation_round, application,
                                        actor=all_roles["staff"])

    assert error.value.messages == [
        f"The reviewers of {application} do not disagree (standard deviation below 10 and "
        "range below 25): assign a reviewer by hand if one more is needed."]
    assert Assignment.objects.filter(application=application).count() == 3


def test_extra_reviewer_refused_when_nobody_is_left(all_roles, english):
    evaluation_round = demo_round()
    evaluation_round.call.reviewers.clear()
    application = flagged_and_scored(evaluation_round, all_roles["staff"])

    with pytest.raises(services.ValidationError) as error:
        services.request_extra_reviewer(evaluation_round, application,
                                        actor=all_roles["staff"])

    application.refresh_from_db()
    assert error.value.code == "short"
    assert application.status == ApplicationStatus.SCORED  # nothing half-done


def test_export_carries_the_calibrated_score_and_the_flag(all_roles, english):
    evaluation_round = demo_round()
    _lenient, _harsh, mine = lenient_and_harsh(evaluation_round)
    flagged = reviewable_application(evaluation_round)
    for total in (60, 90, 75):
        submitted_review(flagged, evaluation_round, total)

    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/export.csv")

    lines = response.getvalue().decode("utf-8-sig").splitlines()
    by_receipt = {line.split(",")[0]: line.split(",")[-4:] for line in lines[1:]}
    advice = round_fairness(evaluation_round)
    assert lines[0].endswith("Calibrated score,Calibrated rank,Range,Disagreement")
    for application in (mine[("엄격", 65)], mine[("관대", 85)], flagged):
        figures = advice.advice(application.pk)
        assert by_receipt[application.receipt_number][:2] == [
            str(figures.calibrated_final), str(figures.calibrated_rank)]
    assert by_receipt[mine[("엄격", 65)].receipt_number][2:] == ["0.0", ""]
    assert by_receipt[flagged.receipt_number][2:] == ["30.0", "Flagged"]
    assert advice.advice(mine[("엄격", 65)].pk).calibrated_rank == 1


def test_score_basis_form_saves_before_the_first_review(all_roles):
    evaluation_round = demo_round()
    client = client_for(all_roles["staff"])

    response = client.post(f"/manage/reviews/rounds/{evaluation_round.pk}/score-basis/",
                           {"basis": "calibrated"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Score that allocates the awards of 2025-GB: Calibrated score."]
    assert response.context["basis"] == "calibrated"
    assert 'id="basis-locked"' not in response.content.decode()


def test_score_basis_form_refuses_after_the_first_review(all_roles):
    evaluation_round = demo_round()
    evaluation_round.locked_at = timezone.now()
    evaluation_round.save(update_fields=["locked_at"])
    client = client_for(all_roles["staff"])

    response = client.post(f"/manage/reviews/rounds/{evaluation_round.pk}/score-basis/",
                           {"basis": "calibrated"}, follow=True)

    [message] = [str(m) for m in response.context["messages"]]
    assert message.endswith(": the score that allocates can no longer change.")
    assert response.context["basis"] == "rule"
    assert 'id="basis-locked"' in response.content.decode()
