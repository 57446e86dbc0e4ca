"""Issue 14 item 1: a call evaluated in rounds (DOMAIN.md §5.1) — each round its rubric,
committee, pass rule and weight; staff close a round, see who passes on with the rule that
decided each case, exempt an application from the document round (audited) and open the next
round for those only; the final score is the weighted sum of the round scores plus the
verified bonus, rounded once. Bad input is refused with the reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application, BonusClaim
from applications.services import transition
from programs.models import BonusItem, Call, EvaluationRound
from reviews import round_scores, round_services, scoring, services
from reviews.enums import PassRule, ScoreBasis
from reviews.models import RoundExemption, RoundResult
from reviews.round_services import RoundPlan
from reviews.selectors import call_scores
from tests.factories.awards import close_call, reviewers, scored_application
from tests.factories.portal import UserFactory
from tests.factories.reviews import (
    EvaluationRoundFactory,
    ReviewerProfileFactory,
    submitted_review,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff(db):
    return UserFactory(email="rounds-staff@mss.test", is_staff=True, is_superuser=True)


PASS_MARK = D("60.00")


def two_rounds(*, pass_mark=PASS_MARK, pass_multiple=None, weights=(40, 60)):
    """The Gyeongbuk demo call, closed, with its document round (weight 40, pass mark 60) and
    a presentation round (weight 60) whose committee is three reviewers of its own."""
    call = close_call(Call.objects.get(code="2025-GB"))
    documents = EvaluationRound.objects.get(call=call)
    EvaluationRound.objects.filter(pk=documents.pk).update(
        weight=weights[0], pass_mark=pass_mark, pass_multiple=pass_multiple)
    documents.refresh_from_db()
    presentation = EvaluationRoundFactory(call=call, kind=EvaluationRound.Kind.PRESENTATION,
                                          order=2, weight=weights[1])
    ReviewerProfileFactory(calls=[call])  # the document round's committee: the call's
    panel = reviewers(3)
    for reviewer in panel:
        reviewer.rounds.add(presentation)
    tracks = list(call.tracks.order_by("order"))
    return call, documents, presentation, panel, tracks


def scored(track, documents, totals, **kwargs):
    return scored_application(track, cost=100_000_000, totals=tuple(D(t) for t in totals),
                              evaluation_round=documents, **kwargs)


# --- The pass rule ---------------------------------------------------------------------------

def test_pass_mark_decides_who_passes_on(demo):
    call, documents, presentation, _panel, tracks = two_rounds()
    high = scored(tracks[0], documents, (80, 70))
    low = scored(tracks[0], documents, (60, 59.9))  # 59.95 → 59.95 < 60
    edge = scored(tracks[0], documents, (60, 60))
    outcome = round_scores.pass_on(documents)
    decisions = {d.application_id: (d.score, d.rank, d.passed, d.rule)
                 for d in outcome.decisions}
    assert decisions == {
        high.pk: (D("75.00"), 1, True, PassRule.MET),
        edge.pk: (D("60.00"), 2, True, PassRule.MET),
        low.pk: (D("59.95"), 3, False, PassRule.BELOW_MARK),
    }
    assert (outcome.waiting, outcome.unassigned, outcome.passing) == (0, 0, 2)


def test_pass_multiple_of_the_target_and_both_rules(demo):
    call, documents, _presentation, _panel, tracks = two_rounds(pass_multiple=D("1.5"))
    track = tracks[0]
    track.target_count = 2  # 1.5 × 2 = 3 places
    track.save(update_fields=["target_count"])
    apps = [scored(track, documents, (total,)) for total in (90, 85, 80, 75, 55)]
    decisions = {d.application_id: (d.rank, d.places, d.passed, d.rule)
                 for d in round_scores.pass_on(documents).decisions}
    assert [decisions[a.pk] for a in apps] == [
        (1, 3, True, PassRule.MET), (2, 3, True, PassRule.MET), (3, 3, True, PassRule.MET),
        (4, 3, False, PassRule.BEYOND_PLACES), (5, 3, False, PassRule.BELOW_MARK)]


def test_tied_at_the_last_place_pass_together(demo):
    call, documents, _presentation, _panel, tracks = two_rounds(pass_mark=None,
                                                                 pass_multiple=D("1"))
    track = tracks[0]
    track.target_count = 1
    track.save(update_fields=["target_count"])
    moment = timezone.now()
    first = scored(track, documents, (80,), submitted_at=moment)
    second = scored(track, documents, (80,), submitted_at=moment)
    third = scored(track, documents, (70,), submitted_at=moment)
    decisions = {d.application_id: (d.rank, d.passed)
                 for d in round_scores.pass_on(documents).decisions}
    assert decisions == {first.pk: (1, True), second.pk: (1, True), third.pk: (3, False)}


def test_no_pass_rule_passes_everyone(demo):
    call, documents, _presentation, _panel, tracks = two_rounds(pass_mark=None)
    app = scored(tracks[0], documents, (20,))
    [decision] = round_scores.pass_on(documents).decisions
    assert (decision.application_id, decision.passed, decision.rule) == (
        app.pk, True, PassRule.NO_RULE)


# --- Closing, exempting and opening the next round ------------------------------------------

def test_close_stores_the_decisions_and_open_moves_only_those_who_pass(demo, staff):
    call, documents, presentation, panel, tracks = two_rounds()
    passing = scored(tracks[0], documents, (80, 70))
    failing = scored(tracks[0], documents, (50, 52))
    results = round_services.close_round(documents, actor=staff)
    assert sorted((r.application_id, r.score, r.rank, r.passed, r.rule) for r in results) == \
        sorted([(passing.pk, D("75.00"), 1, True, PassRule.MET),
                (failing.pk, D("51.00"), 2, False, PassRule.BELOW_MARK)])
    documents.refresh_from_db()
    assert documents.closed_at is not None and documents.closed_by == staff
    opened = round_services.open_next_round(documents, actor=staff)
    assert opened.pk == presentation.pk and opened.opened_at is not None
    statuses = dict(Application.objects.filter(pk__in=[passing.pk, failing.pk])
                    .values_list("pk", "status"))
    assert statuses == {passing.pk: ApplicationStatus.UNDER_REVIEW,
                        failing.pk: ApplicationStatus.NOT_SELECTED}
    presentation.refresh_from_db()
    result = services.auto_assign(presentation, per_application=3, actor=staff)
    assert sorted((a.application_id, a.reviewer_id) for a in result.created) == sorted(
        (passing.pk, reviewer.pk) for reviewer in panel)


def test_closing_is_refused_while_reviews_are_open(demo, staff, english):
    call, documents, _presentation, _panel, tracks = two_rounds()
    scored(tracks[0], documents, (80,))
    scored(tracks[0], documents, (80,), status=ApplicationStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        round_services.close_round(documents, actor=staff)
    assert error.value.messages == [
        "2025-GB · Document review cannot close yet: 1 applications wait for reviews and 0 "
        "have no reviewer and no exemption."]
    assert not RoundResult.objects.exists()


def test_the_last_round_does_not_close_and_a_later_round_waits_for_opening(demo, staff,
                                                                             english):
    call, documents, presentation, _panel, tracks = two_rounds()
    with pytest.raises(ValidationError) as error:
        round_services.close_round(presentation, actor=staff)
    assert error.value.messages == [
        "2025-GB · Presentation is the call's last round: its scores go to the award run, "
        "nothing passes on."]
    with pytest.raises(ValidationError) as error:
        services.auto_assign(presentation, per_application=3, actor=staff)
    assert error.value.messages == [
        "2025-GB · Presentation opens once 2025-GB · Document review is closed and staff open "
        "it for those who pass on."]
    with pytest.raises(ValidationError) as error:
        round_services.open_next_round(documents, actor=staff)
    assert error.value.messages == ["Close 2025-GB · Document review first."]


def test_exemption_is_audited_passes_on_and_is_not_assigned(demo, staff, english):
    call, documents, presentation, panel, tracks = two_rounds()
    other = scored(tracks[0], documents, (80,))
    exempt = scored(tracks[0], documents, (), status=ApplicationStatus.ELIGIBLE)
    with pytest.raises(ValidationError) as error:
        round_services.exempt_application(documents, exempt, reason=" ", actor=staff)
    assert error.value.messages == ["Give the reason for the exemption."]
    exemption = round_services.exempt_application(
        documents, exempt, reason="2025 제도개선: 서면평가 면제 대상", actor=staff)
    assert (exemption.actor, exemption.reason) == (staff, "2025 제도개선: 서면평가 면제 대상")
    # Automatic assignment of the document round leaves it out.
    assert services.auto_assign(documents, per_application=1, actor=staff).created == []
    with pytest.raises(ValidationError) as error:
        services.assign_reviewer(documents, exempt, ReviewerProfileFactory(), actor=staff)
    assert error.value.messages == [f"Application {exempt} is exempt from 2025-GB · Document "
                                    "review."]
    results = {r.application_id: (r.passed, r.rule, r.score)
               for r in round_services.close_round(documents, actor=staff)}
    assert results == {other.pk: (True, PassRule.MET, D("80.00")),
                       exempt.pk: (True, PassRule.EXEMPT, None)}
    round_services.open_next_round(documents, actor=staff)
    presentation.refresh_from_db()
    created = services.auto_assign(presentation, per_application=1, actor=staff).created
    assert sorted(a.application_id for a in created) == sorted([other.pk, exempt.pk])
    exempt.refresh_from_db()
    assert exempt.status == ApplicationStatus.UNDER_REVIEW


def test_an_application_with_reviewers_is_not_exempted(demo, staff, english):
    call, documents, _presentation, _panel, tracks = two_rounds()
    app = scored(tracks[0], documents, (80,), status=ApplicationStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError) as error:
        round_services.exempt_application(documents, app, reason="면제", actor=staff)
    assert error.value.messages == [f"Application {app} has reviewers in 2025-GB · Document "
                                    "review: release them before exempting it."]
    assert not RoundExemption.objects.exists()


# --- The final score -------------------------------------------------------------------------

def finish_presentation(documents, presentation, panel, staff, totals_by_app):
    round_services.close_round(documents, actor=staff)
    round_services.open_next_round(documents, actor=staff)
    presentation.refresh_from_db()
    for application, totals in totals_by_app.items():
        application.refresh_from_db()
        if application.status == ApplicationStatus.ELIGIBLE:  # exempt: no reviewer yet
            transition(application, ApplicationStatus.UNDER_REVIEW, actor=staff)
        for total, reviewer in zip(totals, panel, strict=False):
            submitted_review(application, presentation, D(total), reviewer=reviewer)
        services.mark_scored(presentation, application, actor=staff)


def test_final_score_is_the_weighted_sum_plus_bonus_rounded_once(demo, staff):
    call, documents, presentation, panel, tracks = two_rounds()
    a = scored(tracks[0], documents, (70.1, 70.2, 70.4))  # 70.2333… → 70.23
    b = scored(tracks[0], documents, (90,))
    exempt = scored(tracks[0], documents, (), status=ApplicationStatus.ELIGIBLE)
    round_services.exempt_application(documents, exempt, reason="면제", actor=staff)
    item = BonusItem.objects.filter(call=call).first()
    BonusClaim.objects.create(application=a, bonus_item=item, verified=True)
    finish_presentation(documents, presentation, panel, staff,
                        {a: (80.1, 80.2, 80.2), b: (60, 61, 62), exempt: (88, 88, 88.1)})
    scores = {s.application_id: s for s in round_scores.final_scores(call)}
    # a: 0.4 × 70.23 + 0.6 × 80.17 (80.1666… rounded) = 28.092 + 48.102 = 76.194 + bonus
    bonus = D(item.points)
    assert (scores[a.pk].base_score, scores[a.pk].final_score) == (
        D("76.19"), scoring.round_half_up(D("76.194") + bonus))
    # b: 0.4 × 90 + 0.6 × 61 = 72.6
    assert (scores[b.pk].base_score, scores[b.pk].final_score) == (D("72.60"), D("72.60"))
    # exempt: the presentation round alone, its weight scaled up to 100%: 88.03
    assert (scores[exempt.pk].base_score, scores[exempt.pk].final_score) == (
        D("88.03"), D("88.03"))
    assert scores[exempt.pk].round_scores == ((documents.pk, 40, None),
                                              (presentation.pk, 60, D("88.03")))
    assert [s.application_id for s in round_scores.final_scores(call)] == [exempt.pk, a.pk, b.pk]
    assert [s.rank for s in round_scores.final_scores(call)] == [1, 2, 3]


def test_a_one_round_call_is_scored_as_today(demo):
    call = close_call(Call.objects.get(code="2025-GB"))
    documents = EvaluationRound.objects.get(call=call)
    EvaluationRound.objects.filter(pk=documents.pk).update(weight=100, pass_mark=D("90"))
    tracks = list(call.tracks.order_by("order"))
    for totals in ((70, 80, 90, 85, 60), (55,), (99, 98)):
        scored(tracks[0], documents, totals)
    assert round_scores.final_scores(call) == call_scores(call)
    assert round_scores.final_scores(call, statuses=[ApplicationStatus.SCORED]) == \
        call_scores(call, statuses=[ApplicationStatus.SCORED])


# --- Bad input -------------------------------------------------------------------------------

def plans(documents, presentation, first, second):
    return {documents.pk: first, presentation.pk: second}


def test_weights_must_add_up_to_100_and_the_multiple_be_at_least_1(demo, staff, english):
    call, documents, presentation, _panel, _tracks = two_rounds()
    with pytest.raises(ValidationError) as error:
        round_services.set_round_plan(call, plans(
            documents, presentation, RoundPlan(40, D("60"), D("0.5")),
            RoundPlan(50, None, None)), actor=staff)
    assert error.value.messages == [
        "2025-GB · Document review: the pass multiple is 0.5; it must be at least 1 (1 passes "
        "on as many as the track's target).",
        "The rounds' weights add up to 90%; they must add up to 100%."]
    saved = round_services.set_round_plan(call, plans(
        documents, presentation, RoundPlan(30, D("65"), D("1.5")), RoundPlan(70, None, None)),
        actor=staff)
    assert [(r.weight, r.pass_mark, r.pass_multiple) for r in saved] == [
        (30, D("65"), D("1.5")), (70, None, None)]


def test_weights_and_pass_rules_are_locked_after_the_first_submitted_review(demo, staff,
                                                                             english):
    call, documents, presentation, _panel, tracks = two_rounds()
    services.lock_rubric(documents)
    documents.refresh_from_db()
    when = timezone.localtime(documents.locked_at).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(ValidationError) as error:
        round_services.set_round_plan(call, plans(
            documents, presentation, RoundPlan(50, D("60"), None), RoundPlan(50, None, None)),
            actor=staff)
    assert error.value.messages == [
        f"2025-GB · Document review: its first review was submitted on {when}, so its weight "
        "and pass rule can no longer change."]
    documents.refresh_from_db()
    assert (documents.weight, documents.pass_mark) == (40, D("60.00"))


def test_a_round_with_no_committee_is_refused(demo, staff, english):
    call, documents, presentation, panel, _tracks = two_rounds()
    for reviewer in panel:
        reviewer.rounds.clear()
    call.reviewers.clear()
    with pytest.raises(ValidationError) as error:
        round_services.set_round_plan(call, plans(
            documents, presentation, RoundPlan(40, None, None), RoundPlan(60, None, None)),
            actor=staff)
    assert error.value.messages == [
        "2025-GB · Document review has no committee: name its reviewers in the administration, "
        "or add reviewers to the call's committee.",
        "2025-GB · Presentation has no committee: name its reviewers in the administration, "
        "or add reviewers to the call's committee."]


def test_a_two_round_call_cannot_allocate_by_the_calibrated_score(demo, staff, english):
    call, *_rest = two_rounds()
    with pytest.raises(ValidationError) as error:
        services.set_score_basis(call, ScoreBasis.CALIBRATED, actor=staff)
    assert error.value.messages == ["This call evaluates in 2 rounds: the calibrated score "
                                    "allocates only a one-round call."]


def test_a_closed_rounds_review_is_not_reopened(demo, staff, english):
    call, documents, _presentation, _panel, tracks = two_rounds()
    app = scored(tracks[0], documents, (80,))
    round_services.close_round(documents, actor=staff)
    assignment = app.review_assignments.get()
    with pytest.raises(ValidationError) as error:
        services.reopen_review(assignment, actor=staff, reason="수정")
    assert error.value.messages == ["This review's round is closed: its reviews can no longer "
                                    "be reopened."]
