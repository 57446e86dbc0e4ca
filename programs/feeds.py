from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from portal.text import translated

from .models import Announcement
from .selectors import CARD_FIELDS, announcement_cards


class AnnouncementFeed(Feed):
    feed_type = Atom1Feed
    title = _("Smart factory support announcements")
    subtitle = _("Published announcements of the smart factory support programmes")
    link = reverse_lazy("programs:announcement_list")

    def items(self):
        """The 50 newest announcements, merged with the items of ``settings.FEED_SOURCES``
        (callables returning objects with ``title``, ``description``, ``link``, ``pubdate``
        and ``updateddate``: published results, say), newest first."""
        items = list(announcement_cards().only(
            *CARD_FIELDS, "updated_at", "call__title", "call__title_en")[:50])
        for source in settings.FEED_SOURCES:
            items.extend(import_string(source)())
        items.sort(key=lambda item: (self.item_pubdate(item), getattr(item, "pk", 0)),
                   reverse=True)
        return items[:50]

    def item_title(self, item):
        if not isinstance(item, Announcement):
            return item.title
        return translated(item, "title")

    def item_description(self, item):
        if not isinstance(item, Announcement):
            return item.description
        call = item.call
        region = translated(call.region, "name") if call.region else _("Nationwide")
        return f"{region} · {translated(call, 'sector')} · {translated(call, 'title')}"

    def item_link(self, item):
        if not isinstance(item, Announcement):
            return item.link
        return reverse("programs:announcement_detail", args=[item.pk])

    def item_pubdate(self, item):
        if not isinstance(item, Announcement):
            return item.pubdate
        return item.published_at

    def item_updateddate(self, item):
        if not isinstance(item, Announcement):
            return item.updateddate
        return item.updated_at
