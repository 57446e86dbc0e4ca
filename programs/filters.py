import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.text import translated

from .enums import CallStatus
from .models import Announcement, Call, Programme, Region
from .selectors import call_sectors


class TranslatedChoiceField(forms.ModelChoiceField):
    """Labels each region or programme by its name in the active language."""

    def label_from_instance(self, obj):
        return translated(obj, "name")


class TranslatedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = TranslatedChoiceField


class AnnouncementFilter(django_filters.FilterSet):
    """Filters of the public announcement list (applied to ``public_announcements()``)."""

    region = TranslatedModelChoiceFilter(
        label=_("Region"), field_name="call__region", queryset=Region.objects.all(),
        to_field_name="code", empty_label=_("All regions"),
    )
    sector = django_filters.ChoiceFilter(label=_("Sector"), field_name="call__sector",
                                         choices=[], empty_label=_("All sectors"))
    programme = TranslatedModelChoiceFilter(
        label=_("Programme"), field_name="call__programme", queryset=Programme.objects.all(),
        to_field_name="code", empty_label=_("All programmes"),
    )
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
