"""Selection and allocation of DOMAIN.md §6, as a pure function over plain values.

Nothing here touches the database: an award run gathers its inputs once, stores them, and
hands them to :func:`allocate`. Every support figure comes from ``programs.money`` (the money
rules of DOMAIN.md §3); this module only decides who is selected, in what order, against which
budget. Change ``RULE_VERSION`` whenever this module or the money rules change what they give
for the same inputs, so that every stored run says which rules produced it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from programs.money import ShareRule, Support, TrackRules, compute_support

from .enums import Outcome

RULE_VERSION = "2025.2"
# A call that allocates by the calibrated score (DOMAIN.md §5.1) records this version instead.
CALIBRATED_RULE_VERSION = f"{RULE_VERSION}-calibrated"


# A call evaluated in rounds (DOMAIN.md §5.1): the weighted final score allocates.
ROUNDS_RULE_VERSION = f"{RULE_VERSION}-rounds"


def rule_version_for(inputs: Mapping) -> str:
    """The rule version of a run computed from ``inputs``: which score allocated it (a
    one-round call's rule-score run keeps ``RULE_VERSION``)."""
    if inputs.get("call", {}).get("score_basis") == "calibrated":
        return CALIBRATED_RULE_VERSION
    if inputs.get("call", {}).get("rounds"):
        return ROUNDS_RULE_VERSION
    return RULE_VERSION


@dataclass(frozen=True)
class TrackPlan:
    """One track of the call as the allocation sees it."""

    track_id: int
    order: int
    rules: TrackRules
    target: int | None = None
    already_selected: int = 0  # selected by runs confirmed earlier for this call

    @property
    def open_places(self) -> int | None:
        if self.target is None:
            return None
        return max(self.target - self.already_selected, 0)


@dataclass(frozen=True)
class Candidate:
    """A scored application: its rank in its track and the cost of its latest plan version.

    A cluster's application (DOMAIN.md §2.2) lists each member company's cost in
    ``member_costs``: the support is then computed per company (each share's per-company cap
    applies to each member) and summed; ``project_cost`` is their total.
    """

    application_id: int
    track_id: int
    final_score: Decimal
    rank: int
    project_cost: int
    planned_in_kind: int = 0
    member_costs: tuple[int, ...] = ()


@dataclass(frozen=True)
class LineResult:
    application_id: int
    track_id: int
    outcome: Outcome
    rank: int
    final_score: Decimal
    support: Support
    contribution_cash: int
    contribution_in_kind: int
    waitlist_position: int | None = None
    members: tuple[Support, ...] = ()  # a cluster's support per member company

    @property
    def shares(self) -> dict[str, int]:
        return self.support.shares

    @property
    def award(self) -> dict[str, int]:
        """What the budget lines pay: the support when selected, nothing otherwise."""
        if self.outcome != Outcome.SELECTED:
            return {}
        return {source: amount for source, amount in self.support.shares.items() if amount}


@dataclass(frozen=True)
class Allocation:
    lines: tuple[LineResult, ...]
    budget: dict[str, int]  # what each line had available to this run
    allocated: dict[str, int]  # what this run awards on each line

    @property
    def remaining(self) -> dict[str, int]:
        return {source: self.budget[source] - self.allocated.get(source, 0)
                for source in self.budget}


def candidate_support(rules: TrackRules, candidate: Candidate) -> tuple[Support, tuple]:
    """The support of one candidate, and for a cluster that of each member company."""
    if not candidate.member_costs:
        return compute_support(rules, candidate.project_cost), ()
    members = tuple(compute_support(rules, cost) for cost in candidate.member_costs)
    shares: dict[str, int] = {}
    for member in members:
        for source, amount in member.shares.items():
            shares[source] = shares.get(source, 0) + amount
    total = Support(project_cost=sum(m.project_cost for m in members),
                    eligible_cost=sum(m.eligible_cost for m in members), shares=shares)
    return total, members


def split_contribution(contribution: int, planned_in_kind: int,
                       min_cash_share: Decimal) -> tuple[int, int]:
    """The company contribution as (cash, in kind): the plan's in-kind amount, reduced when
    needed so that at least ``min_cash_share`` of the contribution is paid in cash."""
    min_cash = int((Decimal(contribution) * Decimal(min_cash_share))
                   .to_integral_value(rounding=ROUND_CEILING))
    in_kind = max(0, min(planned_in_kind, contribution - min_cash))
    return contribution - in_kind, in_kind


def allocate(tracks: Iterable[TrackPlan], budget: Mapping[str, int], cutoff: Decimal,
             candidates: Iterable[Candidate], *,
             min_cash_share: Decimal = Decimal("0.5")) -> Allocation:
    """Rank-order greedy selection, tracks in their allocation order (DOMAIN.md §6).

    ``budget`` maps each funding source to what remains on its line for this run (a source
    with no line has nothing). Within a track, in rank order, an application at or above the
    cut-off is selected while the track has places left and every one of its funding shares
    fits in what remains of its line; one that does not fit is waitlisted and the next is
    tried. Once the places are filled the rest at or above the cut-off are waitlisted; below
    the cut-off nothing is selected. No partial awards.
    """
    tracks = sorted(tracks, key=lambda t: (t.order, t.track_id))
    by_track: dict[int, list[Candidate]] = {t.track_id: [] for t in tracks}
    for candidate in candidates:
        if candidate.track_id not in by_track:
            raise ValueError(f"application {candidate.application_id} is on track "
                             f"{candidate.track_id}, which is not one of the call's tracks")
        by_track[candidate.track_id].append(candidate)

    remaining = {source: int(amount) for source, amount in budget.items()}
    available = dict(remaining)
    lines: list[LineResult] = []
    for track in tracks:
        places = track.open_places
        waitlisted = 0
        for candidate in sorted(by_track[track.track_id],
                                key=lambda c: (c.rank, c.application_id)):
            support, members = candidate_support(track.rules, candidate)
            if candidate.final_score < cutoff:
                outcome = Outcome.NOT_SELECTED
            elif (places is None or places > 0) and _fits(support, remaining):
                outcome = Outcome.SELECTED
                for source, amount in support.shares.items():
                    if amount:
                        remaining[source] -= amount
                if places is not None:
                    places -= 1
            else:
                outcome = Outcome.WAITLISTED
            position = None
            if outcome == Outcome.WAITLISTED:
                waitlisted += 1
                position = waitlisted
            cash, in_kind = split_contribution(support.contribution, candidate.planned_in_kind,
                                               min_cash_share)
            lines.append(LineResult(
                application_id=candidate.application_id, track_id=track.track_id,
                outcome=outcome, rank=candidate.rank, final_score=candidate.final_score,
                support=support, contribution_cash=cash, contribution_in_kind=in_kind,
                waitlist_position=position, members=members,
            ))
    allocated = {source: available[source] - remaining[source] for source in available}
    return Allocation(lines=tuple(lines), budget=available, allocated=allocated)


def _fits(support: Support, remaining: Mapping[str, int]) -> bool:
    return all(amount <= remaining.get(source, 0)
               for source, amount in support.shares.items() if amount)


# --- Stored inputs: every run keeps them as JSON, and can be recomputed from them alone.

def rules_from_dict(data: Mapping) -> TrackRules:
    """The inverse of ``TrackRules.as_dict``."""
    return TrackRules(
        shares=tuple(ShareRule(s["source"], Decimal(s["rate"]), s["cap"])
                     for s in data["shares"]),
        rounding_unit=data["rounding_unit"],
        max_project_cost=data["max_project_cost"],
        total_cap=data["total_cap"],
    )


def canonical_json(value) -> str:
    """The canonical JSON text of ``value``: keys sorted, no spaces, UTF-8 as it is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def inputs_hash(inputs: Mapping, rule_version: str = RULE_VERSION, *,
                canonical: str | None = None) -> str:
    """SHA-256 of the canonical JSON of a run's inputs and the rule version.

    ``canonical``: ``canonical_json(inputs)`` when the caller has it (the computation stores
    that text as the run's inputs). The object's keys sort "inputs" before "rule_version",
    so its text is the inputs' text inside it: the hash is the one of the whole object."""
    if canonical is None:
        canonical = canonical_json(inputs)
    text = f'{{"inputs":{canonical},"rule_version":{canonical_json(rule_version)}}}'
    return hashlib.sha256(text.encode()).hexdigest()


def stored_plan(inputs: Mapping) -> tuple[list[TrackPlan], dict[str, int], Decimal,
                                          list[Candidate]]:
    """The tracks, budget, cut-off and candidates of inputs stored by an award run."""
    tracks = [
        TrackPlan(track_id=t["id"], order=t["order"], rules=rules_from_dict(t["rules"]),
                  target=t["target"], already_selected=t["already_selected"])
        for t in inputs["tracks"]
    ]
    budget = {line["source"]: line["amount"] - line["committed"]
              for line in inputs["budget_lines"]}
    candidates = [
        Candidate(application_id=c["application_id"], track_id=c["track_id"],
                  final_score=Decimal(c["final_score"]), rank=c["rank"],
                  project_cost=c["project_cost"], planned_in_kind=c["planned_in_kind"],
                  member_costs=tuple(m["cost"] for m in c.get("members", ())))
        for c in inputs["candidates"]
    ]
    return tracks, budget, Decimal(inputs["call"]["cutoff_score"]), candidates


def allocate_stored(inputs: Mapping, *, plan=None) -> Allocation:
    """Run :func:`allocate` on inputs stored by an award run (see ``services.gather_inputs``);
    ``plan``: their ``stored_plan``, when the caller has it."""
    tracks, budget, cutoff, candidates = plan or stored_plan(inputs)
    return allocate(tracks, budget, cutoff, candidates,
                    min_cash_share=Decimal(inputs["call"]["min_cash_share"]))
