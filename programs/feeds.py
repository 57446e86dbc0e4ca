from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from portal.text import translated

from .selectors import public_announcements


class AnnouncementFeed(Feed):
    feed_type = Atom1Feed
    title = _("Smart factory support announcements")
    subtitle = _("Published announcements of the smart factory support programmes")
    link = reverse_lazy("programs:announcement_list")

    def items(self):
        return public_announcements()[:50]

    def item_title(self, item):
        return translated(item, "title")

    def item_description(self, item):
        call = item.call
        region = translated(call.region, "name") if call.region else _("Nationwide")
        return f"{region} · {translated(call, 'sector')} · {translated(call, 'title')}"

    def item_link(self, item):
        return reverse("programs:announcement_detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
