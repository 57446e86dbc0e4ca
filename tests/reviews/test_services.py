from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from applications.enums import ApplicationStatus
from applications.models import StateChange
from programs.models import EvaluationRound
from reviews import services
from reviews.enums import ConflictStatus, ReviewAction
from reviews.models import Assignment, ReviewEvent, Score
from tests.factories.applications import ApplicationFactory, BusinessPlanFactory, SupplierFactory
from tests.factories.portal import UserFactory
from tests.factories.programs import TrackFactory
from tests.factories.reviews import (
    AssignmentFactory,
    EvaluationRoundFactory,
    ReviewerProfileFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def evaluation_round():
    return EvaluationRoundFactory()


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def eligible(evaluation_round, **plan_fields):
    application = ApplicationFactory(track=TrackFactory(call=evaluation_round.call),
                                     submitted=True, status=ApplicationStatus.ELIGIBLE)
    BusinessPlanFactory(application=application, **plan_fields)
    return application


def committee(evaluation_round, count, **fields):
    return [ReviewerProfileFactory(calls=[evaluation_round.call], **fields)
            for _ in range(count)]


def reviewers_of(application):
    return sorted(Assignment.objects.counting().filter(application=application)
                  .values_list("reviewer_id", flat=True))


# --- The rubric ---------------------------------------------------------------------------

def test_check_rubric_returns_criteria_in_order_when_they_sum_to_100(evaluation_round):
    criteria = services.check_rubric(evaluation_round)
    assert [c.max_points for c in criteria] == [D(30), D(20), D(20), D(20), D(10)]


@pytest.mark.parametrize("rubric", [[("A", 30), ("B", 60)], [("A", 60), ("B", 50)], []])
def test_check_rubric_refuses_a_rubric_not_summing_to_100(rubric):
    evaluation_round = EvaluationRoundFactory(criteria=rubric)
    with pytest.raises(ValidationError) as error:
        services.check_rubric(evaluation_round)
    assert error.value.code == "rubric"


def test_auto_assign_refuses_a_rubric_not_summing_to_100(staff):
    evaluation_round = EvaluationRoundFactory(criteria=[("A", 50)])
    application = eligible(evaluation_round)
    committee(evaluation_round, 3)
    with pytest.raises(ValidationError):
        services.auto_assign(evaluation_round, per_application=3, actor=staff)
    assert (Assignment.objects.count(), application.status) == (0, ApplicationStatus.ELIGIBLE)


# --- Automatic assignment -----------------------------------------------------------------

def test_auto_assign_gives_each_application_n_reviewers_balanced(evaluation_round, staff):
    applications = [eligible(evaluation_round) for _ in range(3)]
    pool = committee(evaluation_round, 4)

    result = services.auto_assign(evaluation_round, per_application=3, actor=staff)

    assert len(result.created) == 9
    assert result.short == {}
    assert [len(reviewers_of(a)) for a in applications] == [3, 3, 3]
    load = Counter(Assignment.objects.values_list("reviewer_id", flat=True))
    assert sorted(load[r.pk] for r in pool) == [2, 2, 2, 3]


def test_auto_assign_starts_the_review_through_the_state_service(evaluation_round, staff):
    application = eligible(evaluation_round)
    committee(evaluation_round, 3)

    services.auto_assign(evaluation_round, per_application=3, actor=staff)

    application.refresh_from_db()
    change = StateChange.objects.get(application=application)
    assert (application.status, change.from_status, change.to_status, change.actor) == (
        ApplicationStatus.UNDER_REVIEW, ApplicationStatus.ELIGIBLE,
        ApplicationStatus.UNDER_REVIEW, staff)
    assert list(ReviewEvent.objects.values_list("action", flat=True)) == [
        ReviewAction.ASSIGNED] * 3


def test_auto_assign_twice_assigns_nothing_more(evaluation_round, staff):
    applications = [eligible(evaluation_round) for _ in range(2)]
    committee(evaluation_round, 4)
    services.auto_assign(evaluation_round, per_application=3, actor=staff)
    before = sorted(Assignment.objects.values_list("application_id", "reviewer_id"))

    again = services.auto_assign(evaluation_round, per_application=3, actor=staff)

    assert again.created == []
    assert sorted(Assignment.objects.values_list("application_id", "reviewer_id")) == before
    assert [len(reviewers_of(a)) for a in applications] == [3, 3]


def test_auto_assign_raising_n_adds_only_the_missing_reviewers(evaluation_round, staff):
    application = eligible(evaluation_round)
    committee(evaluation_round, 5)
    services.auto_assign(evaluation_round, per_application=3, actor=staff)

    result = services.auto_assign(evaluation_round, per_application=5, actor=staff)

    assert (len(result.created), len(reviewers_of(application))) == (2, 5)


def test_auto_assign_never_picks_the_companys_own_organisation(evaluation_round, staff):
    application = eligible(evaluation_round)
    insider = ReviewerProfileFactory(
        calls=[evaluation_round.call],
        organisation_registration_number=application.company.registration_number)
    others = committee(evaluation_round, 3)

    services.auto_assign(evaluation_round, per_application=3, actor=staff)

    assert reviewers_of(application) == sorted(r.pk for r in others)
    assert insider.pk not in reviewers_of(application)


def test_auto_assign_never_picks_the_pool_suppliers_organisation(evaluation_round, staff):
    supplier = SupplierFactory()
    application = eligible(evaluation_round, supplier=supplier)
    ReviewerProfileFactory(calls=[evaluation_round.call],
                           organisation_registration_number=supplier.registration_number)
    others = committee(evaluation_round, 3)

    services.auto_assign(evaluation_round, per_application=3, actor=staff)

    assert reviewers_of(application) == sorted(r.pk for r in others)


def test_auto_assign_never_picks_a_typed_in_suppliers_organisation(evaluation_round, staff):
    application = eligible(evaluation_round, supplier_name="외부공급",
                           supplier_registration_number="2208162517")
    ReviewerProfileFactory(calls=[evaluation_round.call],
                           organisation_registration_number="2208162517")
    others = committee(evaluation_round, 2)

    result = services.auto_assign(evaluation_round, per_application=3, actor=staff)

    assert reviewers_of(application) == sorted(r.pk for r in others)
    assert result.short == {application.pk: 1}


def test_auto_assign_replaces_a_declared_conflict_never_the_same_reviewer(evaluation_round,
                                                                          staff):
    application = eligible(evaluation_round)
    pool = committee(evaluation_round, 4)
    services.auto_assign(evaluation_round, per_application=3, actor=staff)
    conflicted = Assignment.objects.filter(application=application).first()
    services.declare_conflict(conflicted, actor=conflicted.reviewer.user, reason="전 직장")

    services.auto_assign(evaluation_round, per_application=3, actor=staff)

    assert reviewers_of(application) == sorted(
        r.pk for r in pool if r.pk != conflicted.reviewer_id)


def test_auto_assign_uses_only_active_committee_members(evaluation_round, staff):
    application = eligible(evaluation_round)
    members = committee(evaluation_round, 2)
    committee(evaluation_round, 1, active=False)
    ReviewerProfileFactory()  # not on this call's committee

    result = services.auto_assign(evaluation_round, per_application=3, actor=staff)

    assert reviewers_of(application) == sorted(r.pk for r in members)
    assert result.short == {application.pk: 1}


def test_auto_assign_leaves_unscreened_applications_alone(evaluation_round, staff):
    submitted = ApplicationFactory(track=TrackFactory(call=evaluation_round.call),
                                   submitted=True)
    committee(evaluation_round, 3)

    result = services.auto_assign(evaluation_round, per_application=3, actor=staff)

    assert (result.created, reviewers_of(submitted)) == ([], [])


def test_auto_assign_refuses_less_than_one_reviewer(evaluation_round, staff):
    with pytest.raises(ValidationError) as error:
        services.auto_assign(evaluation_round, per_application=0, actor=staff)
    assert error.value.code == "n"


def test_assignment_unique_constraint_refuses_a_second_row(evaluation_round):
    assignment = AssignmentFactory(round=evaluation_round)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(round=evaluation_round, application=assignment.application,
                                  reviewer=assignment.reviewer)


# --- Assignment by hand, release, replace -------------------------------------------------

def test_assign_reviewer_by_hand_starts_the_review(evaluation_round, staff):
    application = eligible(evaluation_round)
    reviewer = ReviewerProfileFactory()

    assignment = services.assign_reviewer(evaluation_round, application, reviewer, actor=staff)

    application.refresh_from_db()
    assert (assignment.reviewer, assignment.conflict, application.status) == (
        reviewer, ConflictStatus.PENDING, ApplicationStatus.UNDER_REVIEW)


def test_assign_reviewer_refuses_a_conflicted_organisation(evaluation_round, staff):
    application = eligible(evaluation_round)
    reviewer = ReviewerProfileFactory(
        organisation_registration_number=application.company.registration_number)
    with pytest.raises(ValidationError) as error:
        services.assign_reviewer(evaluation_round, application, reviewer, actor=staff)
    assert (error.value.code, Assignment.objects.count()) == ("conflict", 0)


def test_assign_reviewer_refuses_a_second_assignment(evaluation_round, staff):
    application = eligible(evaluation_round)
    reviewer = ReviewerProfileFactory()
    services.assign_reviewer(evaluation_round, application, reviewer, actor=staff)
    with pytest.raises(ValidationError) as error:
        services.assign_reviewer(evaluation_round, application, reviewer, actor=staff)
    assert (error.value.code, Assignment.objects.count()) == ("duplicate", 1)


def test_assign_reviewer_refuses_an_application_not_screened_eligible(evaluation_round, staff):
    application = ApplicationFactory(track=TrackFactory(call=evaluation_round.call),
                                     submitted=True)
    with pytest.raises(ValidationError) as error:
        services.assign_reviewer(evaluation_round, application, ReviewerProfileFactory(),
                                 actor=staff)
    assert error.value.code == "status"


def test_replace_assignment_releases_and_picks_the_least_loaded(evaluation_round, staff):
    application = eligible(evaluation_round)
    pool = committee(evaluation_round, 4)
    services.auto_assign(evaluation_round, per_application=3, actor=staff)
    conflicted = Assignment.objects.get(application=application, reviewer=pool[0])
    services.declare_conflict(conflicted, actor=pool[0].user, reason="친족 관계")

    result = services.replace_assignment(conflicted, actor=staff, reason="이해충돌")

    conflicted.refresh_from_db()
    assert [a.reviewer for a in result.created] == [pool[3]]
    assert conflicted.released_at is not None
    assert reviewers_of(application) == sorted(r.pk for r in pool[1:])
    assert Assignment.objects.needing_replacement().count() == 0


def test_replace_assignment_with_a_chosen_reviewer(evaluation_round, staff):
    application = eligible(evaluation_round)
    first, chosen = ReviewerProfileFactory(), ReviewerProfileFactory()
    assignment = services.assign_reviewer(evaluation_round, application, first, actor=staff)

    result = services.replace_assignment(assignment, actor=staff, reviewer=chosen)

    assert ([a.reviewer for a in result.created], reviewers_of(application)) == (
        [chosen], [chosen.pk])


def test_release_assignment_refuses_a_submitted_review(evaluation_round, staff):
    assignment = AssignmentFactory(round=evaluation_round, submitted_at="2025-09-01T10:00Z")
    with pytest.raises(ValidationError) as error:
        services.release_assignment(assignment, actor=staff)
    assert error.value.code == "submitted"


# --- Conflicts ----------------------------------------------------------------------------

def test_declare_conflict_needs_a_reason(evaluation_round):
    assignment = AssignmentFactory(round=evaluation_round, conflict=ConflictStatus.PENDING)
    with pytest.raises(ValidationError) as error:
        services.declare_conflict(assignment, actor=assignment.reviewer.user, reason="  ")
    assignment.refresh_from_db()
    assert (error.value.code, assignment.conflict) == ("reason", ConflictStatus.PENDING)


def test_declare_conflict_is_audited_and_flags_a_replacement(evaluation_round):
    assignment = AssignmentFactory(round=evaluation_round, conflict=ConflictStatus.PENDING)
    user = assignment.reviewer.user

    services.declare_conflict(assignment, actor=user, reason="전 직장")

    event = ReviewEvent.objects.get()
    assert (event.action, event.actor, event.reason) == (ReviewAction.CONFLICT_DECLARED, user,
                                                         "전 직장")
    assert list(Assignment.objects.needing_replacement()) == [assignment]


def test_confirm_no_conflict_is_audited(evaluation_round):
    assignment = AssignmentFactory(round=evaluation_round, conflict=ConflictStatus.PENDING)

    services.confirm_no_conflict(assignment, actor=assignment.reviewer.user)

    assignment.refresh_from_db()
    assert (assignment.conflict, ReviewEvent.objects.get().action) == (
        ConflictStatus.NONE, ReviewAction.NO_CONFLICT)


# --- Scoring ------------------------------------------------------------------------------

def entries(evaluation_round, points, comments=None):
    criteria = list(evaluation_round.criteria.order_by("order"))
    comments = comments or [""] * len(points)
    return {c.pk: (p, comment) for c, p, comment in zip(criteria, points, comments,
                                                           strict=False)}


@pytest.fixture
def assignment(evaluation_round):
    return AssignmentFactory(round=evaluation_round, conflict=ConflictStatus.NONE)


def test_save_review_draft_keeps_partial_scores(evaluation_round, assignment):
    services.save_review(assignment, entries(evaluation_round, ["25.5", "", None, "10", ""],
                                             ["좋음", "", "", "", ""]),
                         actor=assignment.reviewer.user)

    assert list(Score.objects.order_by("criterion__order").values_list("points", "comment")) == [
        (D("25.5"), "좋음"), (None, ""), (None, ""), (D("10.0"), ""), (None, "")]
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_save_review_submit_locks_the_review_and_the_rubric(evaluation_round, assignment):
    services.save_review(assignment, entries(evaluation_round, [25, 18, "17.5", 16, 8]),
                         actor=assignment.reviewer.user, submit=True)

    assignment.refresh_from_db()
    evaluation_round.refresh_from_db()
    assert assignment.submitted_at is not None
    assert evaluation_round.locked_at == assignment.submitted_at
    assert sum(Score.objects.values_list("points", flat=True)) == D("84.5")
    assert ReviewEvent.objects.get().action == ReviewAction.SUBMITTED


@pytest.mark.parametrize(("value", "code"), [
    ("30.5", "range"), ("-1", "range"), ("abc", "invalid"), ("17.3", "half"), ("NaN", "invalid"),
])
def test_save_review_refuses_bad_points_and_saves_nothing(evaluation_round, assignment, value,
                                                          code):
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, entries(evaluation_round, [value, 18, 17, 16, 8]),
                             actor=assignment.reviewer.user, submit=True)
    first = evaluation_round.criteria.order_by("order").first()
    assert list(error.value.message_dict) == [str(first.pk)]
    assert (Score.objects.count(), ReviewEvent.objects.count()) == (0, 0)


def test_save_review_submit_without_every_criterion_saves_nothing(evaluation_round, assignment,
                                                                 english):
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, entries(evaluation_round, [25, 18, "", 16, 8]),
                             actor=assignment.reviewer.user, submit=True)
    third = list(evaluation_round.criteria.order_by("order"))[2]
    assert error.value.message_dict == {str(third.pk): ["Score this criterion before "
                                                        "submitting."]}
    assignment.refresh_from_db()
    assert (assignment.submitted_at, Score.objects.count()) == (None, 0)


def test_save_review_second_submit_is_refused(evaluation_round, assignment):
    user = assignment.reviewer.user
    services.save_review(assignment, entries(evaluation_round, [25, 18, 17, 16, 8]), actor=user,
                         submit=True)
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, entries(evaluation_round, [30, 20, 20, 20, 10]),
                             actor=user, submit=True)
    assert error.value.code == "submitted"
    assert sum(Score.objects.values_list("points", flat=True)) == D(84)


def test_save_review_edit_after_submission_is_refused(evaluation_round, assignment):
    user = assignment.reviewer.user
    services.save_review(assignment, entries(evaluation_round, [25, 18, 17, 16, 8]), actor=user,
                         submit=True)
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, entries(evaluation_round, [1, 1, 1, 1, 1]), actor=user)
    assert error.value.code == "submitted"
    assert sum(Score.objects.values_list("points", flat=True)) == D(84)


def test_save_review_refused_before_the_conflict_is_answered(evaluation_round):
    assignment = AssignmentFactory(round=evaluation_round, conflict=ConflictStatus.PENDING)
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, entries(evaluation_round, [25, 18, 17, 16, 8]),
                             actor=assignment.reviewer.user)
    assert (error.value.code, Score.objects.count()) == ("conflict", 0)


def test_score_points_check_constraint_refuses_negative_points(assignment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(assignment=assignment, criterion=assignment.round.criteria.first(),
                             points=D("-0.5"))


# --- Reopening and marking scored ---------------------------------------------------------

def submit(assignment, points=(25, 18, 17, 16, 8)):
    services.save_review(assignment, entries(assignment.round, list(points)),
                         actor=assignment.reviewer.user, submit=True)


def test_reopen_review_needs_a_reason_and_is_audited(evaluation_round, assignment, staff):
    submit(assignment)
    with pytest.raises(ValidationError):
        services.reopen_review(assignment, actor=staff, reason="")

    services.reopen_review(assignment, actor=staff, reason="점수 기재 오류")

    assignment.refresh_from_db()
    event = ReviewEvent.objects.filter(action=ReviewAction.REOPENED).get()
    assert (assignment.submitted_at, event.actor, event.reason) == (None, staff, "점수 기재 오류")


def test_reopen_review_of_a_scored_application_puts_it_back_under_review(evaluation_round, staff):
    application = eligible(evaluation_round)
    reviewer = ReviewerProfileFactory()
    assignment = services.assign_reviewer(evaluation_round, application, reviewer, actor=staff)
    services.confirm_no_conflict(assignment, actor=reviewer.user)
    submit(assignment)
    services.mark_scored(evaluation_round, application, actor=staff)

    services.reopen_review(assignment, actor=staff, reason="재검토")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert list(StateChange.objects.filter(application=application)
                .values_list("to_status", flat=True)) == [
        ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SCORED, ApplicationStatus.UNDER_REVIEW]


def test_mark_scored_refuses_while_reviews_are_missing(evaluation_round, staff, english):
    application = eligible(evaluation_round)
    committee(evaluation_round, 3)
    services.auto_assign(evaluation_round, per_application=3, actor=staff)
    first = Assignment.objects.filter(application=application).first()
    services.confirm_no_conflict(first, actor=first.reviewer.user)
    submit(first)

    with pytest.raises(ValidationError) as error:
        services.mark_scored(evaluation_round, application, actor=staff)

    assert error.value.messages == ["1 of 3 reviews are submitted."]


def test_mark_scored_refuses_while_a_conflict_awaits_replacement(evaluation_round, staff):
    application = eligible(evaluation_round)
    committee(evaluation_round, 1)
    services.auto_assign(evaluation_round, per_application=1, actor=staff)
    only = Assignment.objects.get()
    services.declare_conflict(only, actor=only.reviewer.user, reason="친족")

    with pytest.raises(ValidationError) as error:
        services.mark_scored(evaluation_round, application, actor=staff)

    assert error.value.code == "incomplete"


def test_mark_round_scored_marks_only_complete_applications(evaluation_round, staff):
    complete, incomplete = eligible(evaluation_round), eligible(evaluation_round)
    committee(evaluation_round, 2)
    services.auto_assign(evaluation_round, per_application=2, actor=staff)
    for assignment in Assignment.objects.filter(application=complete):
        services.confirm_no_conflict(assignment, actor=assignment.reviewer.user)
        submit(assignment)

    done = services.mark_round_scored(evaluation_round, actor=staff)

    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert ([a.pk for a in done], complete.status, incomplete.status) == (
        [complete.pk], ApplicationStatus.SCORED, ApplicationStatus.UNDER_REVIEW)


def test_evaluation_round_locked_at_is_set_once(evaluation_round, staff):
    first, second = (AssignmentFactory(round=evaluation_round) for _ in range(2))
    submit(first)
    locked_at = EvaluationRound.objects.get(pk=evaluation_round.pk).locked_at
    submit(second)
    assert EvaluationRound.objects.get(pk=evaluation_round.pk).locked_at == locked_at


# --- Comments where it matters (issue 14 item 7) ------------------------------------------

def test_save_review_submit_needs_comments_below_forty_or_above_ninety_percent(
        evaluation_round, assignment, english):
    criteria = list(evaluation_round.criteria.order_by("order"))
    with pytest.raises(ValidationError) as error:
        services.save_review(assignment, entries(evaluation_round, ["11.5", "18.5", 8, 18, 4]),
                             actor=assignment.reviewer.user, submit=True)
    assert error.value.message_dict == {
        f"comment_{criteria[0].pk}": ["11.5 of 30 points is below 40% or above 90% of the "
                                      "maximum: say why in a short comment before submitting."],
        f"comment_{criteria[1].pk}": ["18.5 of 20 points is below 40% or above 90% of the "
                                      "maximum: say why in a short comment before submitting."],
    }
    assignment.refresh_from_db()
    assert (assignment.submitted_at, Score.objects.count()) == (None, 0)


def test_save_review_submit_with_the_comments_goes_through(evaluation_round, assignment):
    services.save_review(assignment, entries(evaluation_round, ["11.5", "18.5", 8, 18, 4],
                                             ["근거 부족", "매우 시급", "", "", ""]),
                         actor=assignment.reviewer.user, submit=True)
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert list(Score.objects.order_by("criterion__order").values_list("comment", flat=True)) == [
        "근거 부족", "매우 시급", "", "", ""]


def test_save_review_draft_needs_no_comment_and_bounds_follow_the_settings(
        evaluation_round, assignment, settings):
    services.save_review(assignment, entries(evaluation_round, ["0", "20", 8, 18, 4]),
                         actor=assignment.reviewer.user)
    settings.REVIEW_COMMENT_BELOW = "0"
    settings.REVIEW_COMMENT_ABOVE = "1"
    services.save_review(assignment, entries(evaluation_round, ["0", "20", 8, 18, 4]),
                         actor=assignment.reviewer.user, submit=True)
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
