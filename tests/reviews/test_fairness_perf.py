"""The fairness arithmetic made fast for the score matrix (thousands of applications per
page) gives exactly what the plain fractions gave: ``fairness.scale`` sums integers instead of
fractions, ``calibrated_totals`` rescales each (reviewer, total) once."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import fairness

TOTALS = st.lists(st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n) / 10),
                  min_size=1, max_size=12)


def fraction_scale(totals):
    """The scale as it was computed before: the totals' own fractions summed."""
    values = [Fraction(total) for total in totals]
    mean = sum(values, Fraction(0)) / len(values)
    variance = sum(((value - mean) ** 2 for value in values), Fraction(0)) / len(values)
    return mean, variance


@settings(max_examples=300, deadline=None)
@given(TOTALS)
def test_scale_is_the_exact_fractions(totals):
    scale = fairness.scale(totals)

    assert (scale.exact_mean, scale.exact_variance) == fraction_scale(totals)
    assert scale.count == len(totals)
    assert scale.mean == fairness._decimal(scale.exact_mean)


def test_scale_of_other_values_falls_back_to_fractions():
    totals = [Decimal("1.125"), 2, 0.5]

    scale = fairness.scale(totals)

    assert (scale.exact_mean, scale.exact_variance) == fraction_scale(totals)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=4),
                          st.integers(min_value=1, max_value=8),
                          st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 2)),
                min_size=1, max_size=40))
def test_calibrated_totals_rescale_each_review(reviews):
    committee, reviewers = fairness.leniency(reviews)

    calibrated = fairness.calibrated_totals(reviews, committee, reviewers)

    expected = {}
    for reviewer_id, application_id, total in reviews:
        expected.setdefault(application_id, []).append(
            fairness.calibrated_total(total, reviewers[reviewer_id], committee))
    assert calibrated == {pk: sorted(totals) for pk, totals in expected.items()}
