"""Stability of each decision at the funding line (DOMAIN.md §5.1), on plain values.

For every reviewer of the run's scored applications, the whole allocation is computed again
without that reviewer's reviews (leave one reviewer out): the applications they reviewed get
their §5 scores again (``reviews.scoring``: trimmed mean, bonus, one rounding, the exact
tie-break) and every track is ranked and allocated again (``allocation.allocate``). An
application's stability is the share of these recomputations in which it keeps its outcome
(selected / waitlisted / not selected). An application left with no review in a
recomputation has no score there and counts as not selected.

Deterministic: reviewers in id order, the same key as the ranking. Cost: each application's
support is computed once (``candidate_support`` does not depend on the rank), a recomputation
rescores only the left-out reviewer's applications and re-sorts only their tracks, and the
greedy pass over the call is plain dictionary work — so one recomputation is linear in the
call's size and the whole is (reviewers × applications).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from reviews import scoring

from .allocation import Candidate, TrackPlan, _fits, candidate_support
from .enums import Outcome

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Scored:
    """An application as the recomputation needs it."""

    application_id: int
    track_id: int
    reviews: tuple  # ((reviewer id, total, first-criterion points), ...)
    bonus: Decimal
    submitted_at: datetime | None
    candidate: Candidate  # costs (its rank and score are replaced in each recomputation)


def _key(reviews, bonus, submitted_at):
    """(§5 ranking key, final score) of some reviews, or None when there are none."""
    if not reviews:
        return None
    totals = [total for _r, total, _f in reviews]
    base = scoring.base_mean(totals)
    final = scoring.round_half_up(base + bonus)
    first = scoring.exact_mean(first for _r, _t, first in reviews)
    return scoring.ranking_key(final, scoring.round_half_up(base), first, submitted_at), final


def _allocate(tracks, budget, cutoff, ordered: Mapping[int, list], support) -> dict[int, str]:
    """Outcome per application: ``allocation.allocate``'s greedy pass over tracks already
    ranked (``ordered``: track id → [(key, final, application id)] in rank order), with
    each application's support given. Applications without a score are absent."""
    remaining = dict(budget)
    outcomes = {}
    for track in tracks:
        places = track.open_places
        for _rank_key, final, application_id in ordered.get(track.track_id, ()):
            shares = support[application_id].shares
            if final < cutoff:
                outcomes[application_id] = Outcome.NOT_SELECTED
            elif (places is None or places > 0) and _fits(support[application_id], remaining):
                outcomes[application_id] = Outcome.SELECTED
                for source, amount in shares.items():
                    if amount:
                        remaining[source] -= amount
                if places is not None:
                    places -= 1
            else:
                outcomes[application_id] = Outcome.WAITLISTED
    return outcomes


def stability(tracks: Iterable[TrackPlan], budget: Mapping[str, int], cutoff: Decimal,
              applications: Iterable[Scored], outcomes: Mapping[int, str]
              ) -> dict[int, Decimal]:
    """Percentage (two decimals) of leave-one-reviewer-out recomputations in which each
    application keeps ``outcomes`` (the full run's). 100.00 for every application when there
    is no reviewer to leave out."""
    tracks = sorted(tracks, key=lambda t: (t.order, t.track_id))
    plans = {t.track_id: t for t in tracks}
    applications = list(applications)
    support = {a.application_id: candidate_support(plans[a.track_id].rules, a.candidate)[0]
               for a in applications}
    by_id = {a.application_id: a for a in applications}
    full = {}
    ordered = defaultdict(list)
    by_reviewer = defaultdict(set)
    for application in applications:
        key, final = _key(application.reviews, application.bonus, application.submitted_at)
        full[application.application_id] = (key, final)
        ordered[application.track_id].append((key, final, application.application_id))
        for reviewer_id, _total, _first in application.reviews:
            by_reviewer[reviewer_id].add(application.application_id)
    for entries in ordered.values():
        entries.sort(key=lambda entry: (entry[0], entry[2]))

    reviewers = sorted(by_reviewer)
    if not reviewers:
        return {a.application_id: HUNDRED.quantize(scoring.TWO_PLACES) for a in applications}
    kept = defaultdict(int)
    for reviewer_id in reviewers:
        touched = by_reviewer[reviewer_id]
        changed = {}
        for application_id in touched:
            application = by_id[application_id]
            rest = tuple(r for r in application.reviews if r[0] != reviewer_id)
            changed[application_id] = _key(rest, application.bonus, application.submitted_at)
        this = dict(ordered)
        for track_id in {by_id[a].track_id for a in touched}:
            entries = [entry for entry in ordered[track_id] if entry[2] not in changed]
            entries.extend((value[0], value[1], application_id)
                           for application_id, value in changed.items()
                           if value is not None and by_id[application_id].track_id == track_id)
            entries.sort(key=lambda entry: (entry[0], entry[2]))
            this[track_id] = entries
        result = _allocate(tracks, budget, cutoff, this, support)
        for application in applications:
            outcome = result.get(application.application_id, Outcome.NOT_SELECTED)
            if outcome == outcomes[application.application_id]:
                kept[application.application_id] += 1
    count = Decimal(len(reviewers))
    return {a.application_id: scoring.round_half_up(kept[a.application_id] * HUNDRED / count)
            for a in applications}
