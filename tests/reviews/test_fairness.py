"""Issue 14 items 2–4 on plain values (``reviews.fairness``): leniency, calibrated totals and
scores, disagreement flags."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import fairness, scoring

D = Decimal


def rows(table):
    """``{reviewer: [(application, total), ...]}`` → leniency's rows."""
    return [(reviewer, application, D(total)) for reviewer, items in table.items()
            for application, total in items]


def test_leniency_counts_means_and_population_sigma_against_the_committee():
    committee, by_reviewer = fairness.leniency(rows({
        1: [(10, 80), (11, 90)],
        2: [(10, 60), (11, 70)],
    }))

    assert (committee.count, committee.mean, scoring.round_half_up(committee.stdev)) == (
        4, D(75), D("11.18"))
    assert [(r.count, r.mean, r.stdev, r.mean_offset, r.stdev_offset, r.calibration)
            for r in (by_reviewer[1], by_reviewer[2])] == [
        (2, D("85.00"), D("5.00"), D("10.00"), D("-6.18"), fairness.Calibration.TOO_FEW),
        (2, D("65.00"), D("5.00"), D("-10.00"), D("-6.18"), fairness.Calibration.TOO_FEW),
    ]


def harsh_and_lenient():
    """Reviewer 1 lenient (+10 on every application), reviewer 2 harsh (−10), both with five
    applications, and reviewer 3 with only two."""
    return rows({
        1: [(a, 70 + a) for a in range(1, 6)],
        2: [(a, 50 + a) for a in range(1, 6)],
        3: [(1, 65), (2, 55)],
    })


def test_calibration_rescales_reviewers_with_five_reviews_only():
    reviews = harsh_and_lenient()
    committee, by_reviewer = fairness.leniency(reviews)
    calibrated = fairness.calibrated_totals(reviews, committee, by_reviewer)

    assert committee.mean == D("62.5")
    assert [by_reviewer[r].calibration for r in (1, 2, 3)] == [
        fairness.Calibration.RESCALED, fairness.Calibration.RESCALED,
        fairness.Calibration.TOO_FEW]
    # Both rescaled reviewers gave the same pattern: after calibration they agree exactly.
    assert calibrated[4] == sorted([
        fairness.calibrated_total(D(74), by_reviewer[1], committee),
        fairness.calibrated_total(D(54), by_reviewer[2], committee)])
    assert calibrated[4][0] == calibrated[4][1]
    # Reviewer 3 counts as given.
    assert D(65) in calibrated[1] and D(55) in calibrated[2]
    expected = committee.mean + (D(74) - D(73)) * committee.stdev / D(2).sqrt()
    assert scoring.round_half_up(calibrated[4][0]) == scoring.round_half_up(expected)


def test_reviewer_with_no_spread_keeps_their_totals_and_says_so():
    reviews = rows({1: [(a, 80) for a in range(1, 7)], 2: [(a, 60 + a) for a in range(1, 7)]})
    committee, by_reviewer = fairness.leniency(reviews)
    calibrated = fairness.calibrated_totals(reviews, committee, by_reviewer)

    assert by_reviewer[1].calibration == fairness.Calibration.NO_SPREAD
    assert by_reviewer[1].stdev == D("0.00")
    assert all(D(80) in calibrated[a] for a in range(1, 7))


def test_calibrated_score_uses_the_trimmed_mean_and_one_rounding():
    totals = [D("70.005"), D(80), D(90), D(60), D(100)]
    assert fairness.calibrated_score(totals, D(3)) == (D("83.00"), D("80.00"))
    assert fairness.calibrated_score([D("70.005")]) == (D("70.01"), D("70.01"))
    assert fairness.calibrated_score([D("70.0049"), D("70.0051")], D("1.5")) == (
        D("71.51"), D("70.01"))
    assert fairness.calibrated_score([D("70.004"), D("70.001")]) == (D("70.00"), D("70.00"))


def test_disagreement_flags_sigma_of_ten_or_a_range_of_twenty_five():
    assert fairness.disagreement([D(60), D(80)]) == fairness.Disagreement(
        stdev=D("10.00"), range=D(20), flagged=True)
    assert fairness.disagreement([D(70), D(70), D(70), D(95)]).flagged is True  # range 25
    assert fairness.disagreement([D(70), D(70), D(70), D("94.5")]) == fairness.Disagreement(
        stdev=D("10.61"), range=D("24.5"), flagged=True)
    assert fairness.disagreement([D(70), D(75), D(80)]) == fairness.Disagreement(
        stdev=D("4.08"), range=D(10), flagged=False)
    assert fairness.disagreement([D(61), D(80)]).flagged is False  # σ 9.5, range 19
    assert fairness.disagreement([]) is None


half_points = st.integers(min_value=0, max_value=200).map(lambda n: D(n) / 2)


@settings(max_examples=60, deadline=None)
@given(pattern=st.lists(half_points, min_size=1, max_size=12),
       reviewers=st.integers(min_value=1, max_value=8), shift=st.integers(min_value=0,
                                                                        max_value=11))
def test_calibration_leaves_a_committee_of_alike_reviewers_unchanged(pattern, reviewers, shift):
    """Every reviewer gives the same totals, each to a different application (the pattern
    rotated): every reviewer's mean and σ are the committee's, so nothing moves."""
    n = len(pattern)
    reviews = [(reviewer, (index + reviewer * (shift + 1)) % n, pattern[index])
               for reviewer in range(reviewers) for index in range(n)]
    committee, by_reviewer = fairness.leniency(reviews)
    calibrated = fairness.calibrated_totals(reviews, committee, by_reviewer)

    given_totals = {}
    for _reviewer, application, total in reviews:
        given_totals.setdefault(application, []).append(total)
    assert calibrated == {a: sorted(t) for a, t in given_totals.items()}
    assert all(r.mean_offset == 0 and r.stdev_offset == 0 for r in by_reviewer.values())
    for application, totals in given_totals.items():
        assert fairness.calibrated_score(calibrated[application]) == (
            scoring.final_score(totals), scoring.round_half_up(scoring.base_mean(totals)))


@settings(max_examples=60, deadline=None)
@given(totals=st.lists(st.lists(half_points, min_size=5, max_size=5), min_size=5, max_size=5),
       offset=st.integers(min_value=1, max_value=20))
def test_calibration_undoes_a_constant_offset_of_one_reviewer(totals, offset):
    """A reviewer who gives every application the committee's totals plus a constant has
    their mean moved back: after calibration their mean is the committee's."""
    reviews = [(reviewer, application, totals[application][reviewer] + offset * (reviewer == 0))
               for reviewer in range(5) for application in range(5)]
    committee, by_reviewer = fairness.leniency(reviews)
    calibrated = [fairness.calibrated_total(total, by_reviewer[reviewer], committee)
                  for reviewer, _application, total in reviews if reviewer == 0]
    if by_reviewer[0].rescaled:
        mean = sum(calibrated, D(0)) / len(calibrated)
        assert scoring.round_half_up(mean) == scoring.round_half_up(committee.mean)
    else:
        assert calibrated == [t for r, _a, t in reviews if r == 0]
