"""Forms of companies: the company profile, invitations, and the fields for registration and
phone numbers that every form taking one uses."""

from crispy_forms.bootstrap import PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import numbers
from portal.forms import WonField
from portal.templatetags.portal_tags import tr as translated
from programs.models import Region

from .models import Company
from .validators import (
    format_registration_number,
    normalise_registration_number,
    validate_registration_number,
)


def label(model, name):
    return model._meta.get_field(name).verbose_name


class RegistrationNumberFormField(forms.CharField):
    """A business registration number typed with or without hyphens, in any width
    (``１２４８１００９９８``); kept as its 10 ASCII digits (``portal.numbers``), so that the
    uniqueness checks compare the same number. Every form that takes one uses this field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("validators", [validate_registration_number])
        kwargs.setdefault("help_text", _("10 digits, such as 124-81-00998."))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        if isinstance(value, str) and numbers.is_ascii_digits(value) and len(value) == 10:
            return format_registration_number(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        return normalise_registration_number(value) if value else value


class PhoneNumberFormField(forms.CharField):
    """A phone number in any width, its digit groups kept joined by hyphens
    (``０５４ １２３ ４５６７`` → ``054-123-4567``)."""

    default_error_messages = {
        "invalid": _("Enter a phone number with digits, such as 054-123-4567."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            return numbers.phone_number(value)
        except numbers.NotANumber:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class CompanyForm(forms.ModelForm):
    registration_number = RegistrationNumberFormField(
        label=label(Company, "registration_number"))
    revenue = WonField(label=label(Company, "revenue"))

    class Meta:
        model = Company
        fields = ["name", "registration_number", "representative", "address", "region",
                  "ksic_code", "is_sme", "employees", "revenue", "prior_support"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("code")
        self.fields["region"].label_from_instance = lambda region: translated(region, "name")
        self.fields["is_sme"].help_text = _("Tick if the company is a small or medium "
                                            "enterprise (중소기업) and can show its SME "
                                            "confirmation.")
        if self.instance.pk:
            # The number identifies the company; staff correct it in the administration.
            self.fields["registration_number"].disabled = True
            self.fields["registration_number"].help_text = _(
                "The registration number cannot be changed here; ask the operating agency if "
                "it is wrong.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(Div("name", css_class="col-md-6"), Div("registration_number",
                                                        css_class="col-md-6"),
                css_class="row"),
            Div(Div("representative", css_class="col-md-6"), Div("region", css_class="col-md-6"),
                css_class="row"),
            "address",
            Div(Div("ksic_code", css_class="col-md-4"), Div("employees", css_class="col-md-4"),
                Div(PrependedText("revenue", "₩"), css_class="col-md-4"), css_class="row"),
            "is_sme",
            "prior_support",
        )

    def clean_ksic_code(self):
        return self.cleaned_data["ksic_code"].strip().upper()

    def clean_registration_number(self):
        """Unique across the portal, with a message that says how to join the company."""
        from .services import already_registered_error

        number = self.cleaned_data["registration_number"]
        if self.instance.pk:
            return self.instance.registration_number
        if Company.objects.filter(registration_number=number).exists():
            raise already_registered_error(number)
        return number


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the colleague"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
