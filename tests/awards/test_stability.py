"""Issue 14 item 5 on plain values: the share of leave-one-reviewer-out recomputations of the
whole allocation in which each application keeps its outcome."""

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from awards.allocation import Candidate, TrackPlan, allocate
from awards.enums import Outcome
from awards.stability import Scored, stability
from programs.money import ShareRule, TrackRules
from reviews import scoring

D = Decimal
RULES = TrackRules(shares=(ShareRule("national", D("0.5"), 100_000_000),), rounding_unit=1000,
                   max_project_cost=None, total_cap=None)
START = datetime(2025, 3, 1, 9, 0)


def scored(application_id, reviews, track_id=1, cost=100_000_000):
    return Scored(application_id=application_id, track_id=track_id,
                  reviews=tuple((r, D(t), D(t) * D("0.3")) for r, t in reviews), bonus=D(0),
                  submitted_at=START + timedelta(minutes=application_id),
                  candidate=Candidate(application_id=application_id, track_id=track_id,
                                      final_score=D(0), rank=0, project_cost=cost))


def full_outcomes(tracks, budget, cutoff, applications):
    """The run's own allocation of ``applications`` by the §5 rule."""
    keyed = []
    for a in applications:
        totals = [t for _r, t, _f in a.reviews]
        base = scoring.base_mean(totals)
        final = scoring.round_half_up(base + a.bonus)
        key = scoring.ranking_key(final, scoring.round_half_up(base),
                                  scoring.exact_mean(f for _r, _t, f in a.reviews),
                                  a.submitted_at)
        keyed.append((a.track_id, key, a.application_id, final, a))
    candidates = []
    for track_id in {k[0] for k in keyed}:
        entries = sorted((k for k in keyed if k[0] == track_id), key=lambda k: (k[1], k[2]))
        ranks = scoring.competition_ranks([k[1] for k in entries])
        candidates += [Candidate(application_id=k[2], track_id=track_id, final_score=k[3],
                                 rank=rank, project_cost=k[4].candidate.project_cost)
                       for rank, k in zip(ranks, entries, strict=True)]
    allocation = allocate(tracks, budget, cutoff, candidates)
    return {line.application_id: line.outcome for line in allocation.lines}


def test_a_decision_one_reviewer_can_turn_is_below_one_hundred_percent():
    tracks = [TrackPlan(track_id=1, order=1, rules=RULES)]
    budget = {"national": 50_000_000}  # one award
    applications = [scored(1, [(1, 90), (2, 70)]), scored(2, [(3, 79), (4, 79)]),
                    scored(3, [(5, 60), (6, 60)])]
    outcomes = full_outcomes(tracks, budget, D(70), applications)
    assert outcomes == {1: Outcome.SELECTED, 2: Outcome.WAITLISTED, 3: Outcome.NOT_SELECTED}

    # Without reviewer 1, application 1 scores 70 and 2 (79) is selected instead: of six
    # recomputations, 1 and 2 keep their outcome in five.
    assert stability(tracks, budget, D(70), applications, outcomes) == {
        1: D("83.33"), 2: D("83.33"), 3: D("100.00")}


def test_an_application_left_without_reviews_counts_as_not_selected():
    tracks = [TrackPlan(track_id=1, order=1, rules=RULES)]
    applications = [scored(1, [(1, 90)]), scored(2, [(2, 60)])]
    outcomes = full_outcomes(tracks, {"national": 500_000_000}, D(70), applications)
    assert stability(tracks, {"national": 500_000_000}, D(70), applications, outcomes) == {
        1: D("50.00"), 2: D("100.00")}


@settings(max_examples=40, deadline=None)
@given(data=st.lists(st.tuples(st.integers(min_value=50, max_value=100),
                               st.integers(min_value=2, max_value=6)), min_size=1, max_size=12),
       places=st.integers(min_value=0, max_value=12), tracks_count=st.integers(1, 2))
def test_stability_is_full_when_no_reviewer_can_change_a_rank(data, places, tracks_count):
    """Every reviewer of an application gives it the same total: leaving any one out leaves
    every score, rank and so every outcome as it was."""
    tracks = [TrackPlan(track_id=n, order=n, rules=RULES, target=places)
              for n in range(1, tracks_count + 1)]
    reviewer = iter(range(1, 10_000))
    applications = [scored(index + 1, [(next(reviewer), total) for _ in range(n)],
                           track_id=1 + index % tracks_count)
                    for index, (total, n) in enumerate(data)]
    budget = {"national": 50_000_000 * places}
    outcomes = full_outcomes(tracks, budget, D(70), applications)
    assert stability(tracks, budget, D(70), applications, outcomes) == {
        a.application_id: D("100.00") for a in applications}
