"""Korea time: every deadline and window of the portal is stated in Asia/Seoul."""

from zoneinfo import ZoneInfo

from django.utils import timezone

SEOUL = ZoneInfo("Asia/Seoul")


def korea_time(value) -> str:
    """A moment as Korea shows it: ``2025-09-30 18:00``."""
    return timezone.localtime(value, SEOUL).strftime("%Y-%m-%d %H:%M")
