"""Reads that span relations in the programs app."""

from dataclasses import dataclass

from django.db.models import Prefetch

from .models import Announcement, Call, Track


@dataclass(frozen=True)
class BudgetSummary:
    call_total: int
    lines_total: int

    @property
    def difference(self) -> int:
        return self.call_total - self.lines_total


def budget_summary(call: Call) -> BudgetSummary:
    """The budget lines of a call against its total (uses prefetched lines when present)."""
    return BudgetSummary(
        call_total=call.total_budget,
        lines_total=sum(line.amount for line in call.budget_lines.all()),
    )


def public_announcements():
    """Published announcements, newest first, with what the list shows of their call."""
    return (
        Announcement.objects.published()
        .select_related("call", "call__region", "call__programme")
        .order_by("-published_at", "-pk")
    )


def announcement_for_display(queryset, pk):
    """One announcement with everything its key-facts box shows, in a fixed number of queries."""
    return (
        queryset.select_related("call", "call__region", "call__programme")
        .prefetch_related(
            Prefetch("call__tracks", queryset=Track.objects.prefetch_related("shares")),
            "call__budget_lines",
            "call__linked_programmes",
            "call__events",
            "attachments",
        )
        .get(pk=pk)
    )



def target_total(tracks) -> int | None:
    """The call's target count over its tracks, or None when a track is bound only by budget."""
    counts = [track.target_count for track in tracks]
    if not counts or any(count is None for count in counts):
        return None
    return sum(counts)
