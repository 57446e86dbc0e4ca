import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import CallStatus
from .models import Announcement, Call, Programme, Region


def _sector_choices():
    return [(s, s) for s in Call.objects.order_by("sector").values_list("sector", flat=True)
            .distinct()]


class AnnouncementFilter(django_filters.FilterSet):
    """Filters of the public announcement list (applied to ``public_announcements()``)."""

    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="call__region", queryset=Region.objects.all(),
        to_field_name="code", empty_label=_("All regions"),
    )
    sector = django_filters.ChoiceFilter(label=_("Sector"), field_name="call__sector",
                                         choices=_sector_choices, empty_label=_("All sectors"))
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), field_name="call__programme", queryset=Programme.objects.all(),
        to_field_name="code", empty_label=_("All programmes"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CallStatus.choices,
                                         empty_label=_("Any status"), method="filter_status")
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    class Meta:
        model = Announcement
        fields = ["region", "sector", "programme", "status", "q"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(call__in=Call.objects.with_status(value))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(title_en__icontains=value)
            | Q(body__icontains=value) | Q(call__title__icontains=value)
            | Q(call__sector__icontains=value) | Q(call__region__name__icontains=value)
        )
