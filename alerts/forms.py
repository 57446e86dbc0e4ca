from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.enums import CallStatus
from programs.filters import AnnouncementFilter
from programs.models import Announcement

from .enums import Frequency
from .models import FILTER_KEYS


def describe(form) -> list[tuple[str, str]]:
    """The chosen filters of the list's filter ``form`` (valid) as (label, value) pairs in the
    active language: a region or programme by its name, not its code."""
    cleaned = form.cleaned_data

    def name(field):
        return dict(form.fields[field].choices).get(cleaned[field], cleaned[field])

    parts = []
    if cleaned.get("region"):
        parts.append((_("Region"), name("region")))
    if cleaned.get("sector"):
        parts.append((_("Sector"), cleaned["sector"]))
    if cleaned.get("programme"):
        parts.append((_("Programme"), name("programme")))
    if cleaned.get("status"):
        parts.append((_("Status"), str(CallStatus(cleaned["status"]).label)))
    if cleaned.get("q"):
        parts.append((_("Search"), cleaned["q"]))
    return parts


class SavedSearchForm(forms.Form):
    """The announcement list's filters (as hidden fields, checked by the list's own filter
    set), a name and how often to be told."""

    name = forms.CharField(label=_("Name of this alert"), max_length=100)
    frequency = forms.ChoiceField(label=_("Email me"), choices=Frequency.choices,
                                  initial=Frequency.IMMEDIATE, widget=forms.RadioSelect)

    def __init__(self, *args, filters=None, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else (filters or {})
        self.filters = {key: source.get(key, "") for key in FILTER_KEYS if source.get(key)}
        self.filterset = AnnouncementFilter(self.filters, queryset=Announcement.objects.none())
        for key in FILTER_KEYS:
            self.fields[key] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.filters_valid = self.filterset.form.is_valid()
        self.description = describe(self.filterset.form) if self.filters_valid \
            else []
        if not self.is_bound:
            self.initial.update(self.filters)
            self.initial["name"] = " · ".join(str(value) for _label, value in self.description) \
                or _("All announcements")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if not self.filters_valid:
            raise ValidationError(
                _("These filters are not ones the announcement list offers (%(fields)s). "
                  "Go back to the list and choose them again."),
                code="bad_filters",
                params={"fields": ", ".join(str(self.filterset.form.fields[name].label)
                                            for name in self.filterset.form.errors)})
        return cleaned
