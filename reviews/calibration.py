"""Reads of the fairness advice of a round (DOMAIN.md §5.1): every reviewer's leniency, each
application's calibrated score and the rank it would give, and the disagreement flag.

The arithmetic is in ``reviews.fairness``; this module reads the round's submitted reviews in
one query (plus the applications' facts and bonus points for the calibrated ranking) and
hands plain values to it. The rule score (``selectors.call_scores``) is untouched by it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.conf import settings

from . import fairness, scoring
from .models import ReviewerProfile
from .selectors import application_facts, round_reviews, verified_bonus


@dataclass(frozen=True)
class Advice:
    """The advice shown beside one application's rule score. The disagreement is computed
    from the submitted ``totals`` when first read: a page shows a few of the round's
    thousands of applications."""

    application_id: int
    calibrated_final: Decimal
    calibrated_base: Decimal
    calibrated_rank: int
    totals: tuple = field(repr=False)
    thresholds: tuple = field(repr=False)  # (σ, range): disagreement_thresholds()

    @cached_property
    def disagreement(self) -> fairness.Disagreement:
        stdev_at, range_at = self.thresholds
        return fairness.disagreement(self.totals, stdev_at=stdev_at, range_at=range_at)


@dataclass(frozen=True)
class RoundFairness:
    committee: fairness.Scale | None
    reviewers: dict  # reviewer id → fairness.Leniency
    applications: dict  # application id → Advice

    def advice(self, application_id) -> Advice | None:
        return self.applications.get(application_id)


def disagreement_thresholds() -> tuple[Decimal, Decimal]:
    """(σ, range) at which an application is flagged: settings, or the DOMAIN defaults."""
    return (Decimal(str(getattr(settings, "REVIEW_DISAGREEMENT_STDEV",
                                fairness.DISAGREEMENT_STDEV))),
            Decimal(str(getattr(settings, "REVIEW_DISAGREEMENT_RANGE",
                                fairness.DISAGREEMENT_RANGE))))


def round_leniency(evaluation_round):
    """``(committee scale, rows)``: each reviewer who submitted in the round with their
    ``Leniency``, by name. Two queries."""
    reviews = round_reviews(evaluation_round)
    committee, by_reviewer = fairness.leniency((r, a, t) for r, a, t, _f in reviews)
    profiles = (ReviewerProfile.objects.filter(pk__in=list(by_reviewer)).select_related("user")
                .order_by("user__full_name", "pk")) if by_reviewer else []
    return committee, [(profile, by_reviewer[profile.pk]) for profile in profiles]


def round_fairness(evaluation_round, *, statuses=None, reviews=None) -> RoundFairness:
    """The round's advice: leniency, calibrated scores and ranks within each track (ranked by
    the §5 key with the calibrated final and base), disagreement flags. Three queries (one
    when no review is submitted; one fewer with ``reviews``, the round's ``round_reviews``
    with the same statuses)."""
    if reviews is None:
        reviews = round_reviews(evaluation_round, statuses=statuses)
    rows = [(r, a, t) for r, a, t, _f in reviews]
    committee, reviewers = fairness.leniency(rows)
    calibrated = fairness.calibrated_totals(rows, committee, reviewers)
    if not calibrated:
        return RoundFairness(committee=committee, reviewers=reviewers, applications={})
    facts = application_facts(evaluation_round.call_id)
    bonuses = verified_bonus(evaluation_round.call)
    given = defaultdict(list)
    firsts = defaultdict(list)
    for _reviewer, application_id, total, first_points in reviews:
        given[application_id].append(total)
        firsts[application_id].append(first_points)
    thresholds = disagreement_thresholds()
    by_track = defaultdict(list)
    for application_id, totals in calibrated.items():
        bonus = Decimal(bonuses.get(application_id) or 0)
        final, base = fairness.calibrated_score(totals, bonus)
        # scoring.exact_mean, from the exact Decimal sum (points have one decimal)
        first_exact = Fraction(sum(firsts[application_id])) / len(firsts[application_id])
        track_id, track_order, submitted_at = facts[application_id]
        key = scoring.ranking_key(final, base, first_exact, submitted_at)
        by_track[(track_order, track_id)].append((key, application_id, final, base))
    applications = {}
    for track in sorted(by_track):
        entries = sorted(by_track[track], key=lambda entry: (entry[0], entry[1]))
        ranks = scoring.competition_ranks([entry[0] for entry in entries])
        for rank, (_key, application_id, final, base) in zip(ranks, entries, strict=True):
            applications[application_id] = Advice(
                application_id=application_id, calibrated_final=final, calibrated_base=base,
                calibrated_rank=rank, totals=tuple(given[application_id]),
                thresholds=thresholds)
    return RoundFairness(committee=committee, reviewers=reviewers, applications=applications)
