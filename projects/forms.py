"""Forms of the post-award life cycle. Every bad input gets a clear, translated message naming
its rule; views re-render bound forms, so nothing typed is lost. No form carries a support
figure: the server computes it."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.forms import RegistrationNumberFormField
from companies.models import Supplier
from companies.validators import format_registration_number
from portal import numbers
from portal.money import MoneyField
from portal.uploads import DOCUMENT_TYPES, validate_upload

from .enums import ChangeKind
from .money import COST_ITEMS

COST_LABELS = {
    "software": pgettext_lazy("cost item", "Software"),
    "hardware": pgettext_lazy("cost item", "Hardware"),
    "consulting": pgettext_lazy("cost item", "Consulting"),
    "other": pgettext_lazy("cost item", "Other"),
}
ACCOUNT_NUMBER = re.compile(r"^[0-9]+(-[0-9]+)*$")


def textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class PlainForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SupplierFieldsMixin:
    """A supplier from the pool, or another one named with its registration number."""

    def add_supplier_fields(self):
        self.fields["supplier"] = forms.ModelChoiceField(
            label=_("Supplier from the supplier pool"),
            queryset=Supplier.objects.filter(approved=True).order_by("name"), required=False,
            empty_label=_("— not in the pool: name it below —"))
        self.fields["supplier"].label_from_instance = (
            lambda s: f"{s.name} ({format_registration_number(s.registration_number)})")
        self.fields["supplier_name"] = forms.CharField(label=_("Or name another supplier"),
                                                       max_length=200, required=False)
        self.fields["supplier_registration_number"] = RegistrationNumberFormField(
            label=_("That supplier's business registration number"), required=False)

    def clean_supplier_fields(self, data):
        if "supplier_registration_number" in self.errors:
            return
        supplier = data.get("supplier")
        name = (data.get("supplier_name") or "").strip()
        number = data.get("supplier_registration_number") or ""
        if supplier:
            if name or number:
                self.add_error("supplier", _("Choose a supplier from the pool or name another "
                                             "one, not both."))
            data["supplier_name"] = supplier.name
            data["supplier_registration_number"] = supplier.registration_number
        elif not name or not number:
            self.add_error("supplier", _("Choose a supplier from the pool, or name your "
                                         "supplier with its business registration number."))
        else:
            data["supplier_name"] = name


class AgreementForm(SupplierFieldsMixin, PlainForm):
    """What the company confirms or corrects. ``revision`` is the agreement's revision the
    page was built from: a save on an older one is refused, what was typed kept."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    period_months = forms.TypedChoiceField(label=_("Project period"), coerce=int)
    contribution_cash = MoneyField(label=_("Contribution in cash"), required=False,
                                   empty_value=0)
    contribution_in_kind = MoneyField(label=_("Contribution in kind"), required=False,
                                      empty_value=0)
    bank_name = forms.CharField(label=_("Bank"), max_length=60)
    account_number = forms.CharField(
        label=_("Dedicated project account number"), max_length=30,
        help_text=_("Digits, with or without hyphens: 123-456-789012."))
    account_holder = forms.CharField(label=_("Account holder"), max_length=100)

    def __init__(self, *args, agreement, max_months: int, **kwargs):
        self.agreement = agreement
        kwargs.setdefault("initial", {
            "revision": agreement.revision, "period_months": agreement.period_months,
            "supplier": agreement.supplier_id,
            "supplier_name": "" if agreement.supplier_id else agreement.supplier_name,
            "supplier_registration_number": "" if agreement.supplier_id
            else agreement.supplier_registration_number,
            **{f"cost_{item}": getattr(agreement, f"cost_{item}") for item in COST_ITEMS},
            "contribution_cash": agreement.contribution_cash,
            "contribution_in_kind": agreement.contribution_in_kind,
            "bank_name": agreement.bank_name, "account_number": agreement.account_number,
            "account_holder": agreement.account_holder})
        super().__init__(*args, **kwargs)
        self.fields["period_months"].choices = [
            (n, _("%(months)d months from the acceptance") % {"months": n})
            for n in range(1, max_months + 1)]
        self.add_supplier_fields()
        for item in COST_ITEMS:
            self.fields[f"cost_{item}"] = MoneyField(label=COST_LABELS[item], required=False,
                                                     empty_value=0)

    def clean_account_number(self):
        value = numbers.fold(self.cleaned_data["account_number"]).strip().replace(" ", "")
        if not ACCOUNT_NUMBER.match(value):
            raise forms.ValidationError(
                _("Account number: digits only, with or without hyphens (no letters)."),
                code="account_number")
        return value

    def clean(self):
        data = super().clean()
        self.clean_supplier_fields(data)
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {"period_months": data["period_months"], "supplier": data.get("supplier"),
                "supplier_name": data["supplier_name"],
                "supplier_registration_number": data.get("supplier_registration_number", ""),
                **{f"cost_{item}": data[f"cost_{item}"] for item in COST_ITEMS},
                "contribution_cash": data["contribution_cash"],
                "contribution_in_kind": data["contribution_in_kind"],
                "bank_name": data["bank_name"].strip(), "account_number": data["account_number"],
                "account_holder": data["account_holder"].strip()}


class AcceptForm(AgreementForm):
    """The same fields, and to accept (``accepting``): the conditions ticked and the password
    entered again. Saving needs neither."""

    conditions = forms.BooleanField(
        label=_("I have read the conditions of the agreement and accept them for the company."),
        required=False)
    password = forms.CharField(label=_("Your password, to confirm"), required=False,
                               widget=forms.PasswordInput(attrs={
                                   "autocomplete": "current-password"}))

    def __init__(self, *args, accepting=False, **kwargs):
        self.accepting = accepting
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.accepting:
            if not data.get("conditions"):
                self.add_error("conditions", _("Tick the conditions to accept the agreement."))
            if not data.get("password"):
                self.add_error("password", _("Enter your password to accept the agreement."))
        return data


class DeclineForm(PlainForm):
    reason = forms.CharField(label=_("Why does the company decline?"), widget=textarea(),
                             max_length=2000)


class CancelForm(PlainForm):
    reason = forms.CharField(label=_("Reason for the cancellation"), widget=textarea(),
                             max_length=2000)
    false_documents = forms.BooleanField(
        label=_("Cancelled for false documents: also bar the company's registration number "
                "(참여제한)"), required=False)
    years = forms.IntegerField(label=_("Exclusion (years)"), min_value=1, max_value=10,
                               initial=3)


class ChangeRequestForm(SupplierFieldsMixin, PlainForm):
    kind = forms.ChoiceField(label=_("What should change?"), choices=ChangeKind.choices)
    cause_on = forms.DateField(label=_("Date of the cause"),
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("The day the reason for the change arose."))
    reason = forms.CharField(label=_("Reason"), widget=textarea(), max_length=4000)
    months = forms.IntegerField(label=_("Extension (months)"), min_value=1, max_value=12,
                                required=False)
    contribution_cash = MoneyField(label=_("Contribution in cash"), required=False)
    contribution_in_kind = MoneyField(label=_("Contribution in kind"), required=False)
    schedule = forms.CharField(label=_("New schedule"), widget=textarea(), required=False,
                               max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_supplier_fields()
        self.fields["supplier"].required = False
        for item in COST_ITEMS:
            self.fields[f"cost_{item}"] = MoneyField(label=COST_LABELS[item], required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ChangeKind.EXTENSION and not data.get("months"):
            self.add_error("months", _("Give the length of the extension in months."))
        elif kind == ChangeKind.SUPPLIER:
            self.clean_supplier_fields(data)
        elif kind == ChangeKind.COST:
            for name in [f"cost_{item}" for item in COST_ITEMS] + ["contribution_cash",
                                                                    "contribution_in_kind"]:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give every cost item and the contribution."))
        elif kind == ChangeKind.SCHEDULE and not (data.get("schedule") or "").strip():
            self.add_error("schedule", _("Describe the new schedule."))
        return data

    def proposed(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        if kind == ChangeKind.EXTENSION:
            return {"months": data["months"]}
        if kind == ChangeKind.SUPPLIER:
            return {"supplier_id": data["supplier"].pk if data.get("supplier") else None,
                    "supplier_name": data["supplier_name"],
                    "supplier_registration_number": data["supplier_registration_number"]}
        if kind == ChangeKind.COST:
            return {"costs": {item: data[f"cost_{item}"] for item in COST_ITEMS},
                    "contribution_cash": data["contribution_cash"],
                    "contribution_in_kind": data["contribution_in_kind"]}
        if kind == ChangeKind.SCHEDULE:
            return {"schedule": data["schedule"].strip()}
        return {}


class DecisionForm(PlainForm):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(label=_("Reason"), widget=textarea(), max_length=2000,
                             help_text=_("The company reads it."))


class ExclusionForm(PlainForm):
    registration_number = RegistrationNumberFormField(label=_("Business registration number"))
    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason"), widget=textarea(), max_length=2000)
    ends_on = forms.DateField(label=_("Barred until"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              help_text=_("Empty: 3 years from today."))


class DesignUploadForm(PlainForm):
    file = forms.FileField(label=_("Technical design"),
                           help_text=_("PDF, HWP, HWPX, DOCX or XLSX."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.mime = validate_upload(upload, allowed=DOCUMENT_TYPES)
        return upload
