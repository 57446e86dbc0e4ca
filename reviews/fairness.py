"""Fairness advice of DOMAIN.md §5.1 on plain values (no model, no query): each reviewer's
leniency, calibrated totals and scores, and the disagreement flag.

- *Leniency*: per reviewer of a round, the number of applications they scored, the mean and the
  population standard deviation (σ) of their totals, and how far both sit from the committee's
  (the mean and σ of every submitted total of the round).
- *Calibration*: a reviewer with at least ``CALIBRATION_MIN_REVIEWS`` (5) scored applications
  and σ > 0 has each total rescaled to the committee's scale,
  ``committee mean + (total − reviewer mean) × committee σ / reviewer σ``; the totals of any
  other reviewer count as given (too few to judge, or σ = 0: every total the same). The
  calibrated application score is then computed by the §5 rule (``scoring``: trimmed mean from
  five reviewers, plus verified bonus, rounded half-up once). A reviewer whose mean and σ are
  the committee's keeps their totals exactly.
- *Disagreement*: an application whose submitted totals have σ ≥ ``DISAGREEMENT_STDEV`` (10) or
  range ≥ ``DISAGREEMENT_RANGE`` (25) points (settings ``REVIEW_DISAGREEMENT_STDEV``,
  ``REVIEW_DISAGREEMENT_RANGE``).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from . import scoring

CALIBRATION_MIN_REVIEWS = 5
DISAGREEMENT_STDEV = Decimal("10")
DISAGREEMENT_RANGE = Decimal("25")
PRECISION = 50  # significant digits of the calibration arithmetic, far beyond two decimals


class Calibration:
    """Why a reviewer's totals are or are not rescaled."""

    RESCALED = "rescaled"
    TOO_FEW = "too_few"      # fewer than CALIBRATION_MIN_REVIEWS scored applications
    NO_SPREAD = "no_spread"  # σ = 0: every total the same, nothing to rescale by
    ALIKE = "alike"          # mean and σ already the committee's: unchanged


@dataclass(frozen=True)
class Scale:
    """Mean and population σ of some totals: the mean and the variance as exact fractions
    (so that the same totals in any order give the same scale), the mean and σ as Decimals
    of ``PRECISION`` digits for the arithmetic."""

    count: int
    mean: Decimal
    stdev: Decimal
    exact_mean: Fraction
    exact_variance: Fraction


def _decimal(value: Fraction) -> Decimal:
    with localcontext() as context:
        context.prec = PRECISION
        return Decimal(value.numerator) / Decimal(value.denominator)


def _hundredths(totals: Sequence[Decimal]) -> list[int] | None:
    """Each total in hundredths, exactly, when every total has at most two decimals (points
    have one); ``None`` for any other value (the exact fractions are summed then)."""
    integers = []
    for total in totals:
        scaled = Decimal(total).scaleb(2)
        if not scaled.is_finite() or scaled != (integer := int(scaled)):
            return None
        integers.append(integer)
    return integers


def scale(totals: Sequence[Decimal]) -> Scale | None:
    """The ``Scale`` of some totals. The mean and variance are exact fractions, computed with
    integers (count, sum and sum of squares of the totals in hundredths: the same fractions as
    summing the totals' own fractions, about twenty times faster — thousands of applications
    per score matrix)."""
    totals = list(totals)
    if not totals:
        return None
    count = len(totals)
    integers = _hundredths(totals)
    if integers is not None:
        unit = 100
        total = sum(integers)
        mean = Fraction(total, count * unit)
        variance = Fraction(count * sum(value * value for value in integers) - total * total,
                            count * count * unit * unit)
    else:
        values = [Fraction(total) for total in totals]
        mean = sum(values, Fraction(0)) / count
        variance = sum(((value - mean) ** 2 for value in values), Fraction(0)) / count
    with localcontext() as context:
        context.prec = PRECISION
        stdev = _decimal(variance).sqrt()
    return Scale(count=count, mean=_decimal(mean), stdev=stdev, exact_mean=mean,
                 exact_variance=variance)


def scale_from_sums(count: int, total: Fraction, squares: Fraction) -> Scale | None:
    """The same ``Scale`` as ``scale`` of some totals, from their count, sum and sum of squares
    (exact fractions): a committee's scale without one reviewer is the committee's sums minus
    the reviewer's, without going over the totals again."""
    if not count:
        return None
    mean = total / count
    variance = squares / count - mean * mean
    with localcontext() as context:
        context.prec = PRECISION
        stdev = _decimal(variance).sqrt()
    return Scale(count=count, mean=_decimal(mean), stdev=stdev, exact_mean=mean,
                 exact_variance=variance)


@dataclass(frozen=True)
class Leniency:
    """One reviewer's totals in a round beside the committee's (figures rounded half-up to two
    decimals for display; ``scale`` keeps them exact for calibration)."""

    reviewer_id: int
    count: int
    mean: Decimal
    stdev: Decimal
    mean_offset: Decimal   # reviewer mean − committee mean: above 0 lenient, below 0 harsh
    stdev_offset: Decimal  # reviewer σ − committee σ
    calibration: str       # a ``Calibration`` value
    scale: Scale

    @property
    def rescaled(self) -> bool:
        return self.calibration == Calibration.RESCALED


def leniency(reviews: Iterable[tuple[int, int, Decimal]]
             ) -> tuple[Scale | None, dict[int, Leniency]]:
    """The committee's scale and each reviewer's ``Leniency`` from ``(reviewer id, application
    id, total)`` rows, one per submitted review of the round."""
    by_reviewer = defaultdict(list)
    every = []
    for reviewer_id, _application_id, total in reviews:
        by_reviewer[reviewer_id].append(Decimal(total))
        every.append(Decimal(total))
    committee = scale(every)
    result = {}
    for reviewer_id, totals in by_reviewer.items():
        own = scale(totals)
        if own.count < CALIBRATION_MIN_REVIEWS:
            how = Calibration.TOO_FEW
        elif own.exact_variance == 0:
            how = Calibration.NO_SPREAD
        elif ((own.exact_mean, own.exact_variance)
              == (committee.exact_mean, committee.exact_variance)):
            how = Calibration.ALIKE
        else:
            how = Calibration.RESCALED
        result[reviewer_id] = Leniency(
            reviewer_id=reviewer_id, count=own.count, mean=scoring.round_half_up(own.mean),
            stdev=scoring.round_half_up(own.stdev),
            mean_offset=scoring.round_half_up(own.mean - committee.mean),
            stdev_offset=scoring.round_half_up(own.stdev - committee.stdev),
            calibration=how, scale=own)
    return committee, result


def calibrated_total(total: Decimal, own: Leniency, committee: Scale) -> Decimal:
    """``total`` on the committee's scale when its reviewer is rescaled; else as given."""
    if not own.rescaled:
        return Decimal(total)
    with localcontext() as context:
        context.prec = PRECISION
        return committee.mean + (Decimal(total) - own.scale.mean) * (
            committee.stdev / own.scale.stdev)


def calibrated_totals(reviews: Iterable[tuple[int, int, Decimal]], committee: Scale | None,
                      reviewers: Mapping[int, Leniency]) -> dict[int, list[Decimal]]:
    """Each application's calibrated totals (ascending) from the same rows as ``leniency``."""
    per_application = defaultdict(list)
    known = {}  # (reviewer id, total) → calibrated total: a reviewer gives the same total often
    for reviewer_id, application_id, total in reviews:
        calibrated = known.get((reviewer_id, total))
        if calibrated is None:
            calibrated = known[reviewer_id, total] = calibrated_total(
                total, reviewers[reviewer_id], committee)
        per_application[application_id].append(calibrated)
    return {pk: sorted(totals) for pk, totals in per_application.items()}


def calibrated_score(totals: Sequence[Decimal], bonus: Decimal = scoring.ZERO
                     ) -> tuple[Decimal, Decimal]:
    """``(final, base)`` of calibrated totals by the §5 rule: trimmed mean, bonus added to the
    unrounded mean, each rounded half-up to two decimals once."""
    with localcontext() as context:
        context.prec = PRECISION
        base = scoring.mean(scoring.counted_totals(totals))
        return scoring.round_half_up(base + bonus), scoring.round_half_up(base)


@dataclass(frozen=True)
class Disagreement:
    stdev: Decimal  # population σ of the totals, rounded half-up
    range: Decimal  # highest − lowest total (one decimal: totals are in half points)
    flagged: bool


def disagreement(totals: Sequence[Decimal], *, stdev_at: Decimal = DISAGREEMENT_STDEV,
                 range_at: Decimal = DISAGREEMENT_RANGE) -> Disagreement | None:
    """σ and range of an application's submitted totals, flagged at σ ≥ ``stdev_at`` or
    range ≥ ``range_at`` (the exact σ is compared, not the rounded one)."""
    if not totals:
        return None
    own = scale(totals)
    spread = max(totals) - min(totals)
    return Disagreement(stdev=scoring.round_half_up(own.stdev),
                        range=Decimal(spread).quantize(Decimal("0.1")),
                        flagged=(own.exact_variance >= Fraction(stdev_at) ** 2
                                 or spread >= range_at))
