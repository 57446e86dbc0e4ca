"""Issue 14: the stability of a run allocated by the calibrated score recalibrates the committee
in each leave-one-reviewer-out recomputation. Its shortcut (the committee's scale from sums
minus the left-out reviewer's) gives exactly the calibrated scores that ``reviews.fairness``
computes from the remaining reviews themselves."""

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from awards.allocation import Candidate, TrackPlan
from awards.enums import Outcome
from awards.stability import Scored, _calibrated_keys, _Doubles, _Reviewer, calibrated_stability
from programs.money import ShareRule, TrackRules
from reviews import fairness, scoring
from tests.awards.test_stability import allocated

TOTAL = st.integers(min_value=0, max_value=200).map(lambda halves: Decimal(halves) / 2)


def scored(application_id, reviews):
    return Scored(application_id=application_id, track_id=1, reviews=tuple(reviews),
                  bonus=Decimal(0), submitted_at=None,
                  candidate=Candidate(application_id=application_id, track_id=1, rank=1,
                                      final_score=Decimal(0), project_cost=0))


@given(st.lists(st.lists(st.tuples(st.integers(1, 6), TOTAL), min_size=1, max_size=5,
                         unique_by=lambda review: review[0]),
                min_size=1, max_size=12),
       st.integers(1, 6))
def test_recalibration_from_sums_equals_recalibrating_the_remaining_reviews(reviews, left_out):
    applications = [scored(index, [(r, total, Decimal(0)) for r, total in rows])
                    for index, rows in enumerate(reviews)]
    given_totals = {}
    for a in applications:
        for reviewer_id, total, _first in a.reviews:
            given_totals.setdefault(reviewer_id, []).append(total)
    reviewers = {pk: _Reviewer(totals) for pk, totals in given_totals.items()}
    keys = _calibrated_keys(applications, reviewers, left_out)

    rows = [(r, a.application_id, total) for a in applications for r, total, _f in a.reviews
            if r != left_out]
    committee, lenient = fairness.leniency(rows)
    calibrated = fairness.calibrated_totals(rows, committee, lenient)
    expected = {pk: fairness.calibrated_score(totals)[0] for pk, totals in calibrated.items()}
    assert {pk: final for pk, (_key, final) in keys.items()} == expected


BONUS = st.sampled_from([Decimal(0), Decimal("0.5"), Decimal("1.25"), Decimal(3)])
FIRST = st.integers(min_value=0, max_value=60).map(lambda halves: Decimal(halves) / 2)


def committee_of(applications):
    given_totals = {}
    for a in applications:
        for reviewer_id, total, _first in a.reviews:
            given_totals.setdefault(reviewer_id, []).append(total)
    return {pk: _Reviewer(totals) for pk, totals in sorted(given_totals.items())}


@given(st.lists(st.tuples(st.lists(st.tuples(st.integers(1, 6), TOTAL, FIRST), min_size=1,
                                   max_size=6, unique_by=lambda review: review[0]),
                          BONUS),
                min_size=1, max_size=40))
def test_the_doubles_give_exactly_the_decimal_keys(rows):
    """Six reviewers over up to 40 applications: most are rescaled (five or more reviews),
    some not; applications with five or six reviews are trimmed; unrescaled scores land on
    half hundredths (four totals in halves: x.xx5), where the doubles must hand over to the
    Decimals."""
    applications = [Scored(application_id=index, track_id=1, reviews=tuple(reviews),
                           bonus=bonus, submitted_at=None,
                           candidate=Candidate(application_id=index, track_id=1, rank=1,
                                               final_score=Decimal(0), project_cost=0))
                    for index, (reviews, bonus) in enumerate(rows)]
    reviewers = committee_of(applications)
    doubles = _Doubles(applications, reviewers)
    for left_out in [*reviewers, 99]:
        assert doubles.keys(left_out) == _calibrated_keys(applications, reviewers, left_out)


def test_a_score_on_a_half_hundredth_is_rounded_by_the_decimals():
    """Four reviews by reviewers too new to calibrate: (80 + 80 + 80 + 80.5) / 4 = 80.125,
    half-up 80.13 — exactly where a double's rounding could go either way."""
    reviews = [(pk, total, Decimal(10)) for pk, total in
               ((1, Decimal(80)), (2, Decimal(80)), (3, Decimal(80)), (4, Decimal("80.5")))]
    applications = [scored(1, reviews)]
    reviewers = committee_of(applications)
    keys = _Doubles(applications, reviewers).keys(99)
    assert keys == {1: ((-8013, -8013, -100.0, float("inf")), Decimal("80.13"))}
    assert keys == _calibrated_keys(applications, reviewers, 99)


def calibrated_outcomes(tracks, budget, cutoff, applications, left_out=None):
    """The whole allocation by the calibrated score, recomputed from the definitions
    (``fairness.leniency``, ``calibrated_totals``, ``calibrated_score``, the ranking key,
    ``allocation.allocate``) without ``left_out``'s reviews; an application left with none
    is not a candidate."""
    rows = [(r, a.application_id, total) for a in applications for r, total, _f in a.reviews
            if r != left_out]
    committee, lenient = fairness.leniency(rows)
    calibrated = fairness.calibrated_totals(rows, committee, lenient)
    by_id = {a.application_id: a for a in applications}
    keyed = []
    for pk, totals in calibrated.items():
        a = by_id[pk]
        final, base = fairness.calibrated_score(totals, a.bonus)
        key = scoring.ranking_key(final, base, scoring.exact_mean(
            f for r, _t, f in a.reviews if r != left_out), a.submitted_at)
        keyed.append((a.track_id, key, pk, final, a))
    return allocated(tracks, budget, cutoff, keyed)


RULES = TrackRules(shares=(ShareRule("national", Decimal("0.5"), 100_000_000),),
                   rounding_unit=1000, max_project_cost=None, total_cap=None)
START = datetime(2025, 3, 1, 9, 0)


@settings(max_examples=60, deadline=None)
@given(data=st.lists(
    st.tuples(st.lists(st.tuples(st.integers(1, 6), TOTAL, FIRST), min_size=1, max_size=6,
                       unique_by=lambda review: review[0]),
              BONUS, st.integers(1, 4), st.integers(1, 2)),
    min_size=1, max_size=30),
    places=st.one_of(st.none(), st.integers(0, 6)), awards=st.integers(0, 8),
    cutoff=st.sampled_from([Decimal(0), Decimal(60), Decimal("72.5")]))
def test_calibrated_stability_equals_the_whole_allocation_recalibrated_without_each_reviewer(
        data, places, awards, cutoff):
    """On random committees, the doubles' shortcut gives the percentages of recalibrating the
    committee, rescoring, reranking and reallocating the whole call from the definitions
    without each reviewer in turn."""
    tracks = [TrackPlan(track_id=1, order=1, rules=RULES, target=places),
              TrackPlan(track_id=2, order=2, rules=RULES, target=places)]
    applications = [
        Scored(application_id=index, track_id=track, reviews=tuple(reviews), bonus=bonus,
               submitted_at=START + timedelta(minutes=index % 3),
               candidate=Candidate(application_id=index, track_id=track, final_score=Decimal(0),
                                   rank=0, project_cost=cost * 50_000_000))
        for index, (reviews, bonus, cost, track) in enumerate(data, start=1)]
    budget = {"national": 50_000_000 * awards}
    outcomes = calibrated_outcomes(tracks, budget, cutoff, applications)
    reviewers = sorted({r for a in applications for r, _t, _f in a.reviews})
    kept = dict.fromkeys(outcomes, 0)
    for reviewer in reviewers:
        again = calibrated_outcomes(tracks, budget, cutoff, applications, reviewer)
        for pk, outcome in outcomes.items():
            kept[pk] += again.get(pk, Outcome.NOT_SELECTED) == outcome
    expected = {pk: scoring.round_half_up(Decimal(count) * 100 / len(reviewers))
                for pk, count in kept.items()}
    assert calibrated_stability(tracks, budget, cutoff, applications, outcomes) == expected
