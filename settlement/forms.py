"""Forms of payments, completion reports and settlement. Every bad input gets a translated
message naming its rule; views re-render bound forms, so nothing typed is lost. No form
carries a support, settled or refund figure: the server computes them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import CostItem
from companies.forms import RegistrationNumberFormField
from portal.money import MoneyField
from portal.uploads import DOCUMENT_TYPES, JPEG, PDF, PNG, validate_upload
from projects.forms import PlainForm, textarea

from .enums import Decision, InvoiceKind
from .validators import normalise_approval_number, vat_problem

EVIDENCE_TYPES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}


def date_input():
    return forms.DateInput(attrs={"type": "date"})


class EvidenceMixin:
    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.mime = validate_upload(upload, allowed={**DOCUMENT_TYPES, **EVIDENCE_TYPES})
        return upload


class DepositForm(EvidenceMixin, PlainForm):
    amount = MoneyField(label=_("Amount deposited (won)"))
    deposited_on = forms.DateField(label=_("Deposited on"), widget=date_input())
    file = forms.FileField(label=_("Bank record"), help_text=_("PDF, JPEG or PNG."))


class InvoiceForm(PlainForm):
    """One supplier tax invoice (전자세금계산서), checked as typed: 24 digits of approval
    number, the supplier's registration number with its check digit, and VAT 10% of the supply
    amount within 1 won unless zero-rated. A negative amount is an amended invoice's."""

    approval_number = forms.CharField(
        label=_("Approval number"), max_length=40,
        help_text=_("24 digits, such as 20250301-41000012-34567890."))
    issued_on = forms.DateField(label=_("Issue date"), widget=date_input())
    supplier_name = forms.CharField(label=_("Supplier name"), max_length=200)
    supplier_registration_number = RegistrationNumberFormField(
        label=_("Supplier business registration number"))
    cost_item = forms.ChoiceField(label=_("Cost item"), choices=CostItem.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=InvoiceKind.choices,
                             initial=InvoiceKind.NORMAL)
    supply_amount = MoneyField(label=_("Supply amount (won)"), allow_negative=True)
    vat = MoneyField(label=_("VAT (won)"), allow_negative=True, empty_value=0, required=False)
    zero_rated = forms.BooleanField(label=_("Zero-rated (영세율)"), required=False)

    def clean_approval_number(self):
        return normalise_approval_number(self.cleaned_data["approval_number"])

    def clean(self):
        data = super().clean()
        supply, vat = data.get("supply_amount"), data.get("vat")
        if supply is not None and vat is not None:
            problem = vat_problem(supply, vat, data.get("zero_rated", False))
            if problem:
                self.add_error("vat", problem)
        if (supply is not None and supply < 0
                and data.get("kind") == InvoiceKind.NORMAL):
            self.add_error("supply_amount", _(
                "Only an amended invoice (수정세금계산서) has a negative amount."))
        return data


class SupplierPaymentForm(EvidenceMixin, PlainForm):
    supplier_registration_number = RegistrationNumberFormField(
        label=_("Supplier business registration number"))
    paid_on = forms.DateField(label=_("Paid on"), widget=date_input())
    amount = MoneyField(label=_("Amount paid (won)"))
    file = forms.FileField(label=_("Bank record"), help_text=_("PDF, JPEG or PNG."))


class ClearFlagForm(PlainForm):
    reason = forms.CharField(label=_("Reason"), widget=textarea(), max_length=2000)
    exclude = forms.BooleanField(
        label=_("Leave this invoice out of the recognised cost"), required=False)


class RefundPaidForm(PlainForm):
    paid_on = forms.DateField(label=_("Paid back on"), widget=date_input())


class ClawBackForm(PlainForm):
    reason = forms.CharField(label=_("Reason"), widget=textarea(), max_length=2000)
    exclude = forms.BooleanField(label=_("Bar the company for 3 years (false documents)"),
                                 required=False, initial=True)


class AssignInspectorForm(PlainForm):
    inspector = forms.ModelChoiceField(label=_("Inspector"), queryset=None)

    def __init__(self, *args, inspectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors


class InspectionForm(PlainForm):
    """The inspector's findings and decision; each checklist item is ticked in the page
    (``item-<n>`` checkboxes), photos are PNG or JPEG."""

    findings = forms.CharField(label=_("Findings"), widget=textarea(5), max_length=5000,
                               required=False)
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    photo = forms.FileField(label=_("Photo"), required=False, help_text=_("JPEG or PNG."))

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        self.photo_mime = None
        if upload:
            self.photo_mime = validate_upload(upload, allowed={JPEG: "JPEG", PNG: "PNG"})
        return upload


class ConflictForm(PlainForm):
    reason = forms.CharField(label=_("What is the relation?"), widget=textarea(),
                             max_length=2000)
