"""Issue 14: the stability of a run allocated by the calibrated score recalibrates the committee
in each leave-one-reviewer-out recomputation. Its shortcut (the committee's scale from sums
minus the left-out reviewer's) gives exactly the calibrated scores that ``reviews.fairness``
computes from the remaining reviews themselves."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from awards.allocation import Candidate
from awards.stability import Scored, _calibrated_keys, _Reviewer
from reviews import fairness

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
