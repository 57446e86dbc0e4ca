from collections.abc import Sequence

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.text import in_language

from .enums import CallStatus
from .models import Announcement, Call, Programme, Region
from .selectors import call_sectors


class ReadOnce(Sequence):
    """Choices read on first use and kept: a form lists its choices each time it checks a
    value or renders its options."""

    def __init__(self, read):
        self._read, self._items = read, None

    def _all(self):
        if self._items is None:
            self._items = self._read()
        return self._items

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self):
        return len(self._all())


class AnnouncementFilter(django_filters.FilterSet):
    """Filters of the public announcement list (applied to ``announcement_cards()``).

    Region and programme are chosen by code from plain choices read once per request (a model
    choice field reads its queryset again, through a server-side cursor, each time its
    options are listed)."""

    region = django_filters.ChoiceFilter(label=_("Region"), field_name="call__region__code",
                                         choices=[], empty_label=_("All regions"))
    sector = django_filters.ChoiceFilter(label=_("Sector"), field_name="call__sector",
                                         choices=[], empty_label=_("All sectors"))
    programme = django_filters.ChoiceFilter(
        label=_("Programme"), field_name="call__programme__code", choices=[],
        empty_label=_("All programmes"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CallStatus.choices,
                                         empty_label=_("Any status"), method="filter_status")
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    class Meta:
        model = Announcement
        fields = ["region", "sector", "programme", "status", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The sectors, and every call's window (a list filtered by status changes when one
        # opens or closes: the page cache keeps it until then), in one query per request.
        choices, self.call_windows = call_sectors()
        self.filters["sector"].extra["choices"] = choices
        # Regions and programmes are read when first listed or checked, once.
        self.filters["region"].extra["choices"] = ReadOnce(lambda: [
            (code, in_language(name, name_en))
            for code, name, name_en in Region.objects.values_list("code", "name", "name_en")])
        self.filters["programme"].extra["choices"] = ReadOnce(lambda: [
            (code, in_language(name, name_en)) for code, name, name_en
            in Programme.objects.values_list("code", "name", "name_en")])

    def filter_status(self, queryset, name, value):
        return queryset.filter(call__in=Call.objects.with_status(value))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(title_en__icontains=value)
            | Q(body__icontains=value) | Q(body_en__icontains=value)
            | Q(call__title__icontains=value) | Q(call__title_en__icontains=value)
            | Q(call__sector__icontains=value) | Q(call__sector_en__icontains=value)
            | Q(call__region__name__icontains=value)
            | Q(call__region__name_en__icontains=value)
        )
