"""Whether an announcement matches a saved search's filters: the announcement list's filters
(``programs.filters.AnnouncementFilter``) applied to one announcement in memory, so that one
query of the saved searches serves every search (a test holds the two in step)."""

from django.utils import timezone

from .models import FILTER_KEYS


def search_text(announcement) -> list[str]:
    call = announcement.call
    region = call.region
    return [announcement.title, announcement.title_en, announcement.body, announcement.body_en,
            call.title, call.title_en, call.sector, call.sector_en,
            region.name if region else "", region.name_en if region else ""]


def matches(filters: dict, announcement, now=None) -> bool:
    call = announcement.call
    region = filters.get("region")
    if region and (call.region is None or call.region.code != region):
        return False
    if filters.get("sector") and call.sector != filters["sector"]:
        return False
    if filters.get("programme") and call.programme.code != filters["programme"]:
        return False
    if filters.get("status") and call.status(now or timezone.now()) != filters["status"]:
        return False
    words = (filters.get("q") or "").strip().casefold()
    if words and not any(words in (text or "").casefold() for text in search_text(announcement)):
        return False
    return True


def clean_filters(data) -> dict:
    """Only the list's filter keys, with non-empty string values."""
    return {key: str(data[key]).strip() for key in FILTER_KEYS
            if data.get(key) not in (None, "") and str(data[key]).strip()}
