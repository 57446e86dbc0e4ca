"""Forms of the cluster pages. They parse and check what was typed; the services decide.

Bad input re-renders the bound form with a translated message by the field, so nothing typed
is lost. Amounts accept thousands separators (``40,000,000``); registration numbers accept
hyphens (``124-81-00998``); both accept full-width digits (``portal.numbers``).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.forms import RegistrationNumberFormField
from companies.models import Company
from companies.selectors import public_suppliers
from companies.services import check_supplier
from portal.money import MoneyField as PortalMoneyField
from portal.templatetags.portal_tags import tr
from portal.uploads import DOCUMENT_TYPES, JPEG, PNG, validate_upload
from programs.money import TrackRules

from .enums import ClusterDocumentKind
from .models import Cluster
from .selectors import open_cluster_calls
from .services import part_problems

EVIDENCE_TYPES = {**DOCUMENT_TYPES, JPEG: "JPEG", PNG: "PNG"}


class MoneyField(PortalMoneyField):
    """The portal's one amount field (``portal.money``) for a member's part: negative amounts
    and amounts of any size are taken here, since the services' range checks report them in
    the part's own words (``services.part_problems``)."""

    default_error_messages = {
        "invalid": _("Enter an amount in won using digits; commas are allowed, as in "
                     "40,000,000."),
    }

    def __init__(self, **kwargs):
        super().__init__(allow_negative=True, max_value=None, **kwargs)


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


class SharedPartForm(forms.ModelForm):
    """The cluster's shared part, which every member sees."""

    supplier_registration_number = RegistrationNumberFormField(
        label=_("Supplier business registration number"), required=False,
        help_text=_("Required when the supplier is not chosen from the pool."))
    document = forms.FileField(
        label=_("Add a shared document"), required=False,
        help_text=_("Such as the supplier's quotation. PDF, HWP, HWPX, DOCX or XLSX."))

    class Meta:
        model = Cluster
        fields = ["name", "shared_process", "supplier", "supplier_name",
                  "supplier_registration_number", "common_system", "system_scope"]
        widgets = {"shared_process": forms.Textarea(attrs={"rows": 4}),
                   "system_scope": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mime = ""
        supplier = self.fields["supplier"]
        supplier.queryset = public_suppliers()
        supplier.required = False
        supplier.empty_label = _("Not in the pool: name the supplier below")
        supplier.help_text = _("Suppliers of the pool have been checked by ministry staff.")
        self.fields["supplier_name"].help_text = _("Only for a supplier outside the pool.")
        self.helper = _helper(
            "name", "shared_process",
            Fieldset(_("Supplier"), "supplier",
                     Div(Div("supplier_name", css_class="col-md-6"),
                         Div("supplier_registration_number", css_class="col-md-6"),
                         css_class="row")),
            "common_system", "system_scope", Field("document"))

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            self.mime = validate_upload(upload, allowed=DOCUMENT_TYPES)
        return upload

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in ("supplier", "supplier_name",
                                                 "supplier_registration_number")):
            return cleaned
        try:
            check_supplier(cleaned.get("supplier"), cleaned.get("supplier_name") or "",
                           cleaned.get("supplier_registration_number") or "")
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def _post_clean(self):
        # The services save the cluster; skip the model's own validation of a half-built
        # instance (its constraints are checked by the services and the database).
        pass

    def shared_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class OpenClusterForm(SharedPartForm):
    call = forms.ModelChoiceField(label=_("Call"), queryset=None,
                                  empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = open_cluster_calls()
        self.fields["call"].label_from_instance = lambda call: tr(call, "title")
        self.helper.layout.insert(0, "call")


class InviteForm(forms.Form):
    registration_number = RegistrationNumberFormField(
        label=_("Business registration number of the company"))
    email = forms.EmailField(label=_("Email of the person who accepts for the company"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Div(Div("registration_number", css_class="col-md-5"),
                                  Div("email", css_class="col-md-7"), css_class="row"))


class MemberPartForm(forms.Form):
    """A member's own part. Nobody else in the cluster sees these figures."""

    cost = MoneyField(label=_("This company's cost for the system (won)"))
    contribution_cash = MoneyField(label=_("Contribution in cash (won)"))
    contribution_in_kind = MoneyField(label=_("Contribution in kind (won)"))
    priority_claim = forms.BooleanField(
        label=_("The company is struggling because of government regulation or a policy "
                "change (priority)"), required=False)
    priority_evidence = forms.CharField(
        label=_("Evidence for the priority claim"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed and how it hurt the company. Staff verify it before it "
                    "counts as a bonus item."))
    evidence = forms.FileField(
        label=_("Evidence document"), required=False,
        help_text=_("PDF, HWP, HWPX, DOCX, XLSX, JPEG or PNG."))

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.mime = ""
        self.rules = TrackRules.for_track(member.cluster.track)
        self.has_evidence_file = any(d.kind == ClusterDocumentKind.PRIORITY_EVIDENCE
                                     for d in member.documents.all())
        # The server computes the support for the cost as it is typed (HTMX).
        self.fields["cost"].widget.attrs.update({
            "hx-get": reverse("clusters:part_preview", args=[member.cluster_id]),
            "hx-trigger": "input changed delay:400ms",
            "hx-target": "#live-support",
        })
        self.helper = _helper(
            "cost",
            Div(Div("contribution_cash", css_class="col-md-6"),
                Div("contribution_in_kind", css_class="col-md-6"), css_class="row"),
            Fieldset(_("Priority"), "priority_claim", "priority_evidence", "evidence"))

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            self.mime = validate_upload(upload, allowed=EVIDENCE_TYPES)
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = part_problems(
            rules=self.rules, min_cash_share=self.member.cluster.call.min_cash_share,
            cost=cleaned.get("cost"), cash=cleaned.get("contribution_cash"),
            in_kind=cleaned.get("contribution_in_kind"),
            priority_claim=cleaned.get("priority_claim"),
            priority_evidence=cleaned.get("priority_evidence"),
            has_evidence_file=self.has_evidence_file or bool(cleaned.get("evidence")))
        for name, message in problems.items():
            self.add_error(name, message)
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason")


class CompanyRegistrationForm(forms.ModelForm):
    """Registering the invited company, for an account that acts for no company yet. The
    registration number is the invitation's."""

    class Meta:
        model = Company
        fields = ["name", "representative", "address", "region", "ksic_code", "is_sme",
                  "employees", "revenue", "prior_support"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Div(Div("name", css_class="col-md-6"), Div("representative", css_class="col-md-6"),
                css_class="row"),
            "address",
            Div(Div("region", css_class="col-md-6"), Div("ksic_code", css_class="col-md-6"),
                css_class="row"),
            Div(Div("employees", css_class="col-md-6"), Div("revenue", css_class="col-md-6"),
                css_class="row"),
            "is_sme", "prior_support")

    def _post_clean(self):
        # The registration number comes from the invitation; the service validates the
        # complete company before saving it.
        pass
