"""Reads that span relations in the programs app."""

from dataclasses import dataclass

from django.db.models import Prefetch

from portal.text import in_language

from .enums import TrackKind
from .models import Announcement, Call, Track


def manageable_calls(user):
    """Calls whose announcements ``user`` may write: every call for staff, its region's for an
    operator, none for anyone else."""
    if not user.is_authenticated:
        return Call.objects.none()
    if user.is_staff:
        return Call.objects.all()
    if user.region_id:
        return Call.objects.filter(region_id=user.region_id)
    return Call.objects.none()


def manageable_announcements(user):
    """Announcements ``user`` may edit, preview and publish (scoped before any lookup)."""
    return Announcement.objects.filter(call__in=manageable_calls(user))


def sector_choices():
    """The distinct sectors of all calls as filter choices, labelled in the active language."""
    return call_sectors()[0]


def call_sectors():
    """``(sector choices, windows)``: the distinct sectors of all calls as filter choices,
    labelled in the active language, and every call's window opening and closing — when a
    list filtered by status changes — read in the same query (plain values: no model
    instances)."""
    seen, windows = {}, []
    for sector, sector_en, opens_at, closes_at in Call.objects.order_by(
            "sector", "pk").values_list("sector", "sector_en", "opens_at", "closes_at"):
        seen.setdefault(sector, in_language(sector, sector_en))
        windows += [opens_at, closes_at]
    return list(seen.items()), windows


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


# What an announcement card shows (``programs/templatetags/announcement_cards.py``): not the
# bodies (the Markdown of every announcement on the page) nor the call's other columns.
CARD_FIELDS = ("id", "title", "title_en", "published_at", "call__id", "call__region_id",
               "call__sector", "call__sector_en", "call__opens_at", "call__closes_at",
               "call__region__id", "call__region__name", "call__region__name_en")


def announcement_cards():
    """``public_announcements`` with only what a card shows: the home page and the list."""
    return (Announcement.objects.published().select_related("call", "call__region")
            .only(*CARD_FIELDS).order_by("-published_at", "-pk"))


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


def target_split(tracks) -> tuple[int, int] | None:
    """(smart factories, robots-and-equipment companies) the call supports, counted apart as
    the programme counts them (DOMAIN.md §2: Jeonnam "스마트공장 40개사 + 로봇·장비 5개사"),
    or None when a track is bound only by budget."""
    total = target_total(tracks)
    if total is None:
        return None
    robots = sum(track.target_count for track in tracks if track.kind == TrackKind.ROBOTS)
    return total - robots, robots
