"""What the open API shows: public objects only, each list in a fixed number of queries.

Public means: programmes and calls that have a published announcement (a call being prepared
is not public), their tracks, shares, budget lines and events; published announcements and
their attachments; approved suppliers; published results. Nothing else is ever read here.
"""

from django.db.models import Exists, OuterRef, Sum

from awards.enums import Outcome, RunStatus
from awards.models import ResultLine
from companies.selectors import public_suppliers
from programs.enums import AnnouncementStatus, FundingSource, source_order
from programs.models import Announcement, BudgetLine, Call, Event, FundingShare, Programme, Track
from programs.selectors import public_announcements as published_announcements
from results.models import PublishedResult

SOURCES = tuple(FundingSource.values)


def _has_published_announcement(call_ref="pk"):
    return Exists(Announcement.objects.filter(call_id=OuterRef(call_ref),
                                              status=AnnouncementStatus.PUBLISHED))


def public_calls():
    """Public calls with their programme and region; their tracks, shares, budget lines and
    events come from ``call_details`` for a page at a time."""
    return (Call.objects.filter(_has_published_announcement())
            .select_related("programme", "region")
            .order_by("programme__code", "code", "pk"))


def call_details(call_ids) -> dict[int, dict]:
    """Each call's tracks (with their funding shares), budget lines and events as plain rows
    (four queries for a page of calls: no model instance, no prefetch machinery), ordered as
    the models order them."""
    call_ids = list(call_ids)
    details = {pk: {"tracks": [], "budget_lines": [], "events": []} for pk in call_ids}
    tracks = {}
    for row in (Track.objects.filter(call_id__in=call_ids).order_by("order", "pk")
                .values("id", "call_id", "kind", "name", "name_en", "order", "target_count",
                        "max_project_cost", "total_cap", "min_members")):
        row["shares"] = []
        tracks[row["id"]] = row
        details[row.pop("call_id")]["tracks"].append(row)
    for row in (FundingShare.objects.filter(track_id__in=list(tracks))
                .order_by(source_order(), "pk")
                .values("track_id", "source", "rate", "per_company_cap")):
        tracks[row.pop("track_id")]["shares"].append(row)
    for row in (BudgetLine.objects.filter(call_id__in=call_ids).order_by(source_order(), "pk")
                .values("call_id", "source", "amount")):
        details[row.pop("call_id")]["budget_lines"].append(row)
    for row in (Event.objects.filter(call_id__in=call_ids).order_by("starts_at", "pk")
                .values("id", "call_id", "title", "title_en", "starts_at", "location",
                        "location_en")):
        details[row.pop("call_id")]["events"].append(row)
    return details


def public_programmes():
    calls = Call.objects.filter(_has_published_announcement(), programme_id=OuterRef("pk"))
    return Programme.objects.filter(Exists(calls)).order_by("-year", "code", "pk")


def public_announcements():
    return published_announcements().prefetch_related("attachments")


def public_supplier_pool():
    return public_suppliers()


def public_results():
    return (PublishedResult.objects.filter(call__in=Call.objects.filter(
        _has_published_announcement())).select_related("call").order_by("-published_at", "-pk"))


def awarded_by_call(call_ids) -> dict[int, dict[str, int]]:
    """What the confirmed award runs of each call award on each funding source (one query)."""
    rows = (ResultLine.objects.filter(run__call_id__in=list(call_ids),
                                      run__status=RunStatus.CONFIRMED,
                                      outcome=Outcome.SELECTED)
            .order_by().values("run__call_id")
            .annotate(**{source: Sum(source) for source in SOURCES}))
    return {row["run__call_id"]: {source: row[source] or 0 for source in SOURCES}
            for row in rows}
