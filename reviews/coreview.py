"""The committee's co-review graph (issue 14 item 6), on plain values: reviewers are linked
when they review the same application, and calibration (DOMAIN.md §5.1) compares like with
like only when every pair of reviewers is linked through a chain of shared applications — when
the graph is connected.

``Groups`` is a union-find over reviewer ids; ``pick`` is automatic assignment's choice among
the least-loaded candidates: of those with the smallest load it prefers one from a group the
application does not reach yet, so the loads stay exactly as balanced as least-loaded-first
would make them while the groups merge wherever the committee allows it."""

from collections.abc import Iterable, Mapping, Sequence


class Groups:
    """Union-find over reviewer ids (path halving, union by size)."""

    def __init__(self, members: Iterable[int] = ()):
        self.parent = {}
        self.size = {}
        for member in members:
            self.add(member)

    def add(self, member: int) -> None:
        if member not in self.parent:
            self.parent[member] = member
            self.size[member] = 1

    def find(self, member: int) -> int:
        self.add(member)
        parent = self.parent
        while parent[member] != member:
            parent[member] = parent[parent[member]]
            member = parent[member]
        return member

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a == b:
            return
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]

    def join(self, members: Sequence[int]) -> None:
        for member in members[1:]:
            self.union(members[0], member)

    def count(self) -> int:
        return sum(1 for member in self.parent if self.find(member) == member)


def groups_of(reviews: Iterable[tuple[int, int]], reviewers: Iterable[int] = ()) -> Groups:
    """The groups of ``reviews``' reviewers, ``(application id, reviewer id)`` pairs; every one
    of ``reviewers`` is a group of its own when it shares nothing."""
    groups = Groups(reviewers)
    first_of = {}
    for application_id, reviewer_id in reviews:
        groups.add(reviewer_id)
        if application_id in first_of:
            groups.union(first_of[application_id], reviewer_id)
        else:
            first_of[application_id] = reviewer_id
    return groups


def pick(candidates: Sequence[int], load: Mapping[int, int], needed: int, groups: Groups,
         present: Iterable[int] = ()) -> list[int]:
    """``needed`` of ``candidates`` (sorted by load, then id) for one application that already
    has the reviewers ``present``: each time the least-loaded, preferring among those equally
    loaded one whose group the application does not reach yet (then the lowest id)."""
    reached = {groups.find(member) for member in present}
    chosen = []
    remaining = list(candidates)
    for _ in range(min(needed, len(remaining))):
        lowest = load.get(remaining[0], 0)
        index = 0
        for position, reviewer_id in enumerate(remaining):
            if load.get(reviewer_id, 0) != lowest:
                break
            if groups.find(reviewer_id) not in reached:
                index = position
                break
        reviewer_id = remaining.pop(index)
        chosen.append(reviewer_id)
        reached.add(groups.find(reviewer_id))
    return chosen
