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
# The second track draws on two lines, so that either can run out first.
TWO_SOURCES = TrackRules(shares=(ShareRule("national", D("0.4"), 80_000_000),
                                 ShareRule("provincial", D("0.2"), 30_000_000)),
                         rounding_unit=1000, max_project_cost=None, total_cap=None)
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
    return allocated(tracks, budget, cutoff, keyed)


def allocated(tracks, budget, cutoff, keyed):
    """Outcomes of ``allocation.allocate`` over ``keyed`` applications, (track id, ranking
    key, id, final score, ``Scored``) each, ranked within their tracks by the key."""
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


def naive_stability(tracks, budget, cutoff, applications, outcomes):
    """The definition, recomputed in full: for each reviewer, the whole allocation again by
    ``allocation.allocate`` without their reviews; an application left with none counts as
    not selected."""
    reviewers = sorted({r for a in applications for r, _t, _f in a.reviews})
    if not reviewers:
        return {a.application_id: D("100.00") for a in applications}
    kept = dict.fromkeys((a.application_id for a in applications), 0)
    for reviewer in reviewers:
        rest = [Scored(application_id=a.application_id, track_id=a.track_id,
                       reviews=tuple(r for r in a.reviews if r[0] != reviewer), bonus=a.bonus,
                       submitted_at=a.submitted_at, candidate=a.candidate)
                for a in applications]
        again = full_outcomes(tracks, budget, cutoff, [a for a in rest if a.reviews])
        for a in applications:
            if again.get(a.application_id, Outcome.NOT_SELECTED) == outcomes[a.application_id]:
                kept[a.application_id] += 1
    return {pk: scoring.round_half_up(D(count) * 100 / len(reviewers))
            for pk, count in kept.items()}


@settings(max_examples=150, deadline=None)
@given(data=st.lists(
    st.tuples(st.lists(st.tuples(st.integers(1, 7), st.integers(300, 1000)), min_size=1,
                       max_size=6, unique_by=lambda review: review[0]),
              st.integers(0, 5), st.integers(1, 4), st.integers(1, 2)),
    min_size=1, max_size=14),
    places=st.one_of(st.none(), st.integers(0, 6)), awards=st.integers(0, 8),
    provincial=st.integers(0, 8), cutoff=st.sampled_from([D(0), D(60), D(70), D("72.5")]),
    others=st.one_of(st.none(), st.lists(st.sampled_from(list(Outcome)), min_size=14,
                                         max_size=14)))
def test_stability_equals_the_whole_allocation_recomputed_without_each_reviewer(
        data, places, awards, provincial, cutoff, others):
    """On random committees (totals of one decimal, bonus points, costs, two tracks — the
    second drawing on two lines —, a place limit or none, a budget for a few awards), the
    shortcut's percentages are those of recomputing every score and the whole allocation
    without each reviewer in turn — also against outcomes other than the run's (``others``),
    which the shortcut must not assume."""
    tracks = [TrackPlan(track_id=1, order=1, rules=RULES, target=places),
              TrackPlan(track_id=2, order=2, rules=TWO_SOURCES, target=places)]
    applications = [
        Scored(application_id=index, track_id=track,
               reviews=tuple((r, D(tenths) / 10, D(tenths % 250) / 10) for r, tenths in reviews),
               bonus=D(bonus), submitted_at=START + timedelta(minutes=index % 3),
               candidate=Candidate(application_id=index, track_id=track, final_score=D(0),
                                   rank=0, project_cost=cost * 50_000_000))
        for index, (reviews, bonus, cost, track) in enumerate(data, start=1)]
    budget = {"national": 50_000_000 * awards, "provincial": 15_000_000 * provincial}
    outcomes = full_outcomes(tracks, budget, cutoff, applications)
    if others:
        outcomes = {pk: others[pk - 1] for pk in outcomes}
    assert stability(tracks, budget, cutoff, applications, outcomes) == naive_stability(
        tracks, budget, cutoff, applications, outcomes)


@settings(max_examples=300, deadline=None)
@given(reviews=st.lists(st.tuples(st.integers(1, 9), st.integers(0, 1000), st.integers(0, 250)),
                        max_size=9, unique_by=lambda review: review[0]),
       bonus=st.integers(0, 500), minutes=st.integers(0, 10))
def test_the_integer_key_is_the_decimal_key(reviews, bonus, minutes):
    """``_tenths_key`` (integer tenths and hundredths) gives the key and final score that
    ``_key``'s Decimal arithmetic gives, trimmed or not, for every figure of one decimal."""
    from awards.stability import _key, _tenths, _tenths_key

    moment = START + timedelta(minutes=minutes)
    application = Scored(application_id=1, track_id=1,
                         reviews=tuple((r, D(t) / 10, D(f) / 10) for r, t, f in reviews),
                         bonus=D(bonus) / 100, submitted_at=moment,
                         candidate=Candidate(application_id=1, track_id=1, final_score=D(0),
                                             rank=0, project_cost=100_000_000))
    tenths, hundredths = _tenths(application)

    assert tenths == tuple(reviews) and hundredths == bonus
    assert _tenths_key(tenths, hundredths, moment.timestamp()) == _key(
        application.reviews, application.bonus, moment)


def test_figures_finer_than_a_tenth_take_the_decimal_way():
    from awards.stability import _tenths

    assert _tenths(scored(1, [(1, D("70.25"))])) is None
    assert _tenths(Scored(application_id=1, track_id=1, reviews=((1, D(70), D(20)),),
                          bonus=D("0.125"), submitted_at=START,
                          candidate=scored(1, []).candidate)) is None


@settings(max_examples=300, deadline=None)
@given(reviews=st.lists(st.tuples(st.integers(1, 9), st.integers(0, 1000), st.integers(0, 250)),
                        min_size=1, max_size=9, unique_by=lambda review: review[0]),
       bonus=st.integers(0, 500), data=st.data())
def test_the_key_without_one_review_is_the_key_of_the_others(reviews, bonus, data):
    """``_without_key`` (constant time, from the application's sums) gives the integer key of
    the reviews that remain, whichever review is left out: an end of the ordered totals or
    not, ties, crossing the five reviews below which nothing is trimmed, none left."""
    from awards.stability import _sums, _tenths_key, _without_key

    left_out = data.draw(st.sampled_from(reviews))
    rest = tuple(review for review in reviews if review != left_out)
    sums = _sums(tuple(reviews), bonus, 1.0)

    assert _without_key(sums, left_out[1], left_out[2]) == _tenths_key(rest, bonus, 1.0)


def test_two_reviews_by_one_reviewer_take_the_decimal_way():
    from awards.stability import _tenths

    assert _tenths(scored(1, [(1, 70), (1, 80)])) is None
