"""Automatic assignment's choice of reviewers on plain values (issue 16 goal 3).

``Committee`` keeps the committee in the order automatic assignment offers its members —
least loaded first, then lowest id — and moves only the reviewers it gives an application, so
one application costs a few list operations instead of sorting the whole committee. Its
choice is ``coreview.pick``'s on that order without the application's excluded reviewers: the
same reviewers in the same order. Once the whole committee is one co-review group
(``coreview.Groups``), every candidate is in the group the application reaches after its
first reviewer, so ``pick`` takes the first ``needed`` in order: ``choose`` does so directly,
and joins no more groups (they can no longer change a choice).
"""

from bisect import insort
from collections import Counter
from collections.abc import Collection, Iterable

from . import coreview


class Committee:
    def __init__(self, members: Iterable[int], load: Counter, groups: coreview.Groups):
        self.load = load
        self.groups = groups
        self.order = sorted(members, key=self._rank)
        self.connected = self._all_joined()

    def _rank(self, reviewer_id: int) -> tuple[int, int]:
        return self.load[reviewer_id], reviewer_id

    def _all_joined(self) -> bool:
        find = self.groups.find
        return len({find(reviewer_id) for reviewer_id in self.order}) <= 1

    def choose(self, needed: int, excluded: Collection[int] = (),
               present: list[int] | tuple = ()) -> list[int]:
        """Up to ``needed`` members, none of ``excluded``, for one application that already
        has the reviewers ``present``; their loads go up by one and the co-review groups join
        the application's reviewers."""
        if self.connected:
            chosen = []
            for reviewer_id in self.order:
                if reviewer_id not in excluded:
                    chosen.append(reviewer_id)
                    if len(chosen) == needed:
                        break
        else:
            candidates = [r for r in self.order if r not in excluded]
            chosen = coreview.pick(candidates, self.load, needed, self.groups, present)
        order, load = self.order, self.load
        for reviewer_id in chosen:
            order.remove(reviewer_id)
            load[reviewer_id] += 1
            insort(order, reviewer_id, key=self._rank)
        if not self.connected:
            self.groups.join([*present, *chosen])
            self.connected = self._all_joined()
        return chosen
