"""Promotion (추가 선정) of DOMAIN.md §9 as a pure function over plain values.

Within one track, in waitlist order, each waitlisted application whose every share fits in what
its budget lines have free is selected; one that does not fit stays waitlisted and the next is
tried. No partial awards. When the track has a target count, promotion fills only the places
left under it (the award run's rule of §6: a company waitlisted because the target was reached
is promoted only when a selected one leaves). Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RULE_VERSION = "2025.1-promotion"


@dataclass(frozen=True)
class Waitlisted:
    application_id: int
    waitlist_position: int
    shares: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.shares.values())


@dataclass(frozen=True)
class Promotion:
    promoted: tuple[Waitlisted, ...]
    still_waitlisted: tuple[Waitlisted, ...]
    free_before: dict[str, int]
    free_after: dict[str, int]

    @property
    def promoted_ids(self) -> list[int]:
        return [c.application_id for c in self.promoted]


def fits(candidate: Waitlisted, free: dict[str, int]) -> bool:
    return all(amount <= free.get(source, 0)
               for source, amount in candidate.shares.items() if amount)


def promote(candidates, free: dict[str, int], places: int | None = None) -> Promotion:
    """The waitlist-order greedy: ``free`` is what each funding source's line has left,
    ``places`` how many more the track may select (None: no target)."""
    left = dict(free)
    promoted, kept = [], []
    for candidate in sorted(candidates, key=lambda c: (c.waitlist_position, c.application_id)):
        if (places is None or len(promoted) < places) and fits(candidate, left):
            promoted.append(candidate)
            for source, amount in candidate.shares.items():
                if amount:
                    left[source] = left.get(source, 0) - amount
        else:
            kept.append(candidate)
    return Promotion(promoted=tuple(promoted), still_waitlisted=tuple(kept),
                     free_before=dict(free), free_after=left)
