"""``{% announcement_cards announcements %}``: the cards of the home page and the public list.

One ``format_html`` per card instead of a template block and an included status badge per
card: the cards were about 40% of the public list's time (cProfile, 20 cards a page). The
badge is ``call_status_badge``, which ``programs/_call_status_badge.html`` renders too.
"""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext

from portal.text import translated
from programs.enums import CallStatus

register = template.Library()

CARD = (
    '<a class="list-group-item list-group-item-action" href="{}">'
    '<div class="d-flex w-100 justify-content-between"><h3 class="h6 mb-1">{}</h3>'
    '{}</div>'
    '<div class="small text-muted">{} · {} · {} {} – {}</div></a>'
)
BADGES = {CallStatus.OPEN: "text-bg-success", CallStatus.UPCOMING: "text-bg-info",
          CallStatus.CLOSED: "text-bg-secondary"}


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _status_labels():
    return {CallStatus.OPEN: pgettext("call status", "Open"),
            CallStatus.UPCOMING: pgettext("call status", "Upcoming"),
            CallStatus.CLOSED: pgettext("call status", "Closed")}


@register.simple_tag
def call_status_badge(call, now=None):
    """A call's status badge (also ``programs/_call_status_badge.html``)."""
    status = call.status(now)
    return format_html('<span class="badge {}">{}</span>', BADGES[status],
                       _status_labels()[status])


@register.simple_tag
def announcement_cards(announcements):
    """The cards of ``announcements`` (loaded with their call and region:
    ``programs.selectors.announcement_cards``), or a line saying none matches."""
    now = timezone.now()
    nationwide, window = gettext("Nationwide"), gettext("Application window")
    cards = []
    for announcement in announcements:
        call = announcement.call
        cards.append((
            reverse("programs:announcement_detail", args=[announcement.pk]),
            translated(announcement, "title"), call_status_badge(call, now),
            translated(call.region, "name") if call.region_id else nationwide,
            translated(call, "sector"), window, _moment(call.opens_at),
            _moment(call.closes_at)))
    if not cards:
        return format_html('<div class="list-group mb-3" id="announcement-list">'
                           '<p class="text-muted">{}</p></div>',
                           gettext("No announcement matches."))
    return format_html('<div class="list-group mb-3" id="announcement-list">{}</div>',
                       format_html_join("", CARD, cards))
