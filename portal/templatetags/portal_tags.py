"""Template filters used across the site: amounts in won, bilingual fields, Markdown."""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ..numbers import format_registration_number
from ..text import in_reader_language, render_markdown, translated

register = template.Library()


def _grouped(n: int) -> str:
    return f"{n:,}"


@register.filter
def won(amount):
    """``4000000000`` → ``4,000,000,000원`` (``KRW 4,000,000,000`` in English)."""
    if amount is None or amount == "":
        return "—"
    amount = int(amount)
    if (get_language() or "ko").startswith("en"):
        return f"KRW {_grouped(amount)}"
    return f"{_grouped(amount)}원"


@register.filter
def won_readable(amount):
    """A short reading of an amount: ``40억 원``, ``57억 5,000만 원`` (``4 billion won``)."""
    if amount is None or amount == "":
        return ""
    amount = int(amount)
    if (get_language() or "ko").startswith("en"):
        for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
            if amount >= size:
                value = f"{amount / size:.3f}".rstrip("0").rstrip(".")
                return f"{value} {word} won"
        return f"{_grouped(amount)} won"
    parts = []
    rest = amount
    for size, word in ((10**12, "조"), (10**8, "억"), (10**4, "만")):
        if rest >= size:
            parts.append(f"{_grouped(rest // size)}{word}")
            rest %= size
    if rest or not parts:
        parts.append(_grouped(rest))
    return " ".join(parts) + " 원"


@register.filter
def tr(obj, field):
    """The English version of ``obj.<field>`` when English is active and it exists."""
    return translated(obj, field)


@register.filter
def percent(rate):
    """``Decimal('0.5')`` → ``50%``; ``0.1500`` → ``15%``; ``0.125`` → ``12.5%``."""
    if rate is None:
        return ""
    value = (rate * 100).normalize()
    return f"{value:f}%"


@register.filter
def markdown(text):
    return mark_safe(render_markdown(text or ""))  # noqa: S308 (sanitised by nh3)


@register.filter
def time_left(deadline):
    """Remaining time until ``deadline`` in days and hours, or an empty string when past."""
    if not deadline:
        return ""
    remaining = deadline - timezone.now()
    if remaining <= timedelta(0):
        return ""
    days, seconds = remaining.days, remaining.seconds
    hours = seconds // 3600
    if days:
        return ngettext("%(days)d day %(hours)d h left", "%(days)d days %(hours)d h left",
                        days) % {"days": days, "hours": hours}
    minutes = (seconds % 3600) // 60
    return _("%(hours)d h %(minutes)d min left") % {"hours": hours, "minutes": minutes}


@register.filter
def number(value):
    return number_format(value, force_grouping=True)


@register.filter
def registration_number(value):
    """A business registration number as it is always shown: ``514-81-00546``."""
    return format_registration_number(value) if value else ""


@register.filter
def written(text):
    """A text the portal stored (a history entry's reason, a vocabulary term) in the reader's
    language: ``portal.text.in_reader_language``."""
    return in_reader_language(text)
