"""Working days (Monday to Friday, less ``settings.PUBLIC_HOLIDAYS``) for the inbox's ages."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone


def holidays() -> set[date]:
    return {date.fromisoformat(str(day)) for day in settings.PUBLIC_HOLIDAYS}


def is_working_day(day: date, off: set[date] | None = None) -> bool:
    off = holidays() if off is None else off
    return day.weekday() < 5 and day not in off


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days from ``start`` to ``end`` (local dates): the day a question was asked
    does not count, each working day after it up to ``end``'s date does."""
    off = holidays()
    first, last = timezone.localdate(start), timezone.localdate(end)
    days, day = 0, first + timedelta(days=1)
    while day <= last:
        days += is_working_day(day, off)
        day += timedelta(days=1)
    return days


def overdue_before(now: datetime, working_days: int) -> datetime:
    """The instant before which an unanswered question is older than ``working_days`` working
    days at ``now``: the start of the local day ``working_days`` working days before today."""
    off = holidays()
    day, left = timezone.localdate(now), working_days
    while left:
        day -= timedelta(days=1)
        left -= is_working_day(day, off)
    return timezone.make_aware(datetime.combine(day, time.min))
