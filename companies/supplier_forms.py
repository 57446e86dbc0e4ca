"""The supplier registration form and the filters of the public supplier pool."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.templatetags.portal_tags import tr
from portal.text import in_reader_language
from programs.models import Region

from .forms import PhoneNumberFormField, RegistrationNumberFormField
from .models import Supplier
from .selectors import pool_terms


class SupplierForm(forms.ModelForm):
    registration_number = RegistrationNumberFormField(label=_("Business registration number"))

    class Meta:
        model = Supplier
        fields = ["name", "registration_number", "specialties", "industries", "processes",
                  "region", "contact_name", "contact_email", "contact_phone", "past_builds"]
        field_classes = {"contact_phone": PhoneNumberFormField}
        help_texts = {
            "specialties": _("Separate several with commas, such as MES, ERP, PLC."),
            "industries": _("Separate several with commas, such as food, beverages."),
            "processes": _("Separate several with commas, such as mixing, packaging."),
            "past_builds": _("Smart-factory systems the supplier has built so far."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].empty_label = _("Nationwide")
        self.fields["region"].label_from_instance = lambda region: tr(region, "name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(Div("name", css_class="col-md-7"),
                Div("registration_number", css_class="col-md-5"), css_class="row"),
            "specialties", "industries", "processes",
            Div(Div("region", css_class="col-md-6"), Div("past_builds", css_class="col-md-6"),
                css_class="row"),
            Fieldset(pgettext_lazy("supplier", "Contact"),
                     Div(Div("contact_name", css_class="col-md-4"),
                         Div("contact_email", css_class="col-md-4"),
                         Div("contact_phone", css_class="col-md-4"), css_class="row")),
        )

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"]
        if Supplier.objects.filter(registration_number=number).exists():
            raise forms.ValidationError(
                _("A supplier with this business registration number is already registered "
                  "(in the pool or waiting for approval)."), code="duplicate")
        return number


class SupplierFilter(django_filters.FilterSet):
    """Filters of the public supplier pool (applied to ``public_suppliers()``)."""

    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="region", queryset=Region.objects.all(),
        to_field_name="code", empty_label=_("All regions"))
    specialty = django_filters.ChoiceFilter(
        label=_("Specialty"), field_name="specialties", lookup_expr="icontains",
        choices=[], empty_label=_("All specialties"))
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), field_name="industries", lookup_expr="icontains",
        choices=[], empty_label=_("All industries"))
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    class Meta:
        model = Supplier
        fields = ["region", "specialty", "industry", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The terms the approved suppliers use, read once per request (one query each).
        for name, field in (("specialty", "specialties"), ("industry", "industries")):
            self.filters[name].extra["choices"] = [(t, in_reader_language(t))
                                                   for t in pool_terms(field)]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(specialties__icontains=value)
            | Q(industries__icontains=value) | Q(processes__icontains=value)
            | Q(region__name__icontains=value) | Q(region__name_en__icontains=value)
            | Q(registration_number__contains=value.replace("-", "")))
