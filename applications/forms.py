"""Forms of the applications app: the company profile, invitations, the business plan's
steps, documents, and staff screening. Every bad input gets a clear, translated message;
views re-render bound forms, so nothing typed is lost."""

import copy
from decimal import Decimal

from crispy_forms.bootstrap import PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.forms import RegistrationNumberFormField, label
from companies.models import Supplier
from companies.validators import (
    format_registration_number,
)
from portal.forms import WonField
from portal.templatetags.portal_tags import tr as translated
from portal.uploads import DOCUMENT_TYPES, validate_upload
from programs.enums import TrackKind

from .checks import (
    AUTOSAVE_AMOUNTS,
    AUTOSAVE_FIELDS,
    CONTRIBUTION_FIELDS,
    COST_FIELDS,
    STEP_FIELDS,
    budget_problems,
    kpi_values,
)
from .enums import KPI_UNITS, Kpi, PlanStep
from .models import BusinessPlan
from .selectors import track_rules

# --- Business plan steps -------------------------------------------------------------------------

AUTOSAVE_ATTRS = {"hx-trigger": "keyup changed delay:2s", "hx-target": "#autosave-status",
                  "hx-swap": "innerHTML", "hx-sync": "closest form:queue all"}


class PlanStepForm(forms.Form):
    """One step of the business plan. ``revision`` is the plan revision the page was built
    from: the save is refused if someone saved in between."""

    step: PlanStep
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    refused = False

    def __init__(self, *args, application, plan, editable=True, **kwargs):
        self.application, self.plan, self.editable = application, plan, editable
        kwargs.setdefault("initial", {**self.initial_from(plan), "revision": plan.revision})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self.layout()
        if editable:
            autosave_url = reverse("applications:autosave", args=[application.pk])
            for name in AUTOSAVE_FIELDS:
                if name in self.fields:
                    self.fields[name].widget.attrs.update({"hx-post": autosave_url,
                                                           **AUTOSAVE_ATTRS})
        else:
            for name, field in self.fields.items():
                if name != "revision":
                    field.disabled = True

    def layout(self):
        return Layout(*self.fields)

    def initial_from(self, plan):
        return {name: getattr(plan, name) for name in STEP_FIELDS[self.step]}

    def plan_values(self) -> dict:
        """The plan fields that passed validation, ready for ``services.save_plan``."""
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in STEP_FIELDS[self.step] if name in data}

    def step_values(self) -> dict:
        """What the view saves: the valid fields, or nothing when the step is refused whole
        (its valid fields would break a rule of the plan together with what is stored)."""
        return {} if self.refused else self.plan_values()

    def refuse(self, field, message):
        self.refused = True
        self.add_error(field, message)

    def _post_clean(self):
        """The stored plan with this step's valid fields must still meet the model's
        CheckConstraints (the database enforces them: a field saved alone once broke the
        schedule's and answered 500). The steps check their own pairs with a message on the
        field first; this refuses the step for any constraint they missed."""
        values = self.step_values()
        if not values:
            return
        plan = copy.copy(self.plan)
        for name, value in values.items():
            setattr(plan, name, value)
        try:
            plan.validate_constraints()
        except ValidationError as error:
            self.refuse(None, error)

    def claims(self):
        return None


def textarea(rows=6):
    return forms.Textarea(attrs={"rows": rows})


class CompanyStatusForm(PlanStepForm):
    step = PlanStep.COMPANY
    company_overview = forms.CharField(
        label=label(BusinessPlan, "company_overview"), widget=textarea(8),
        help_text=_("History, products, customers, staff and facilities."))


class ProductionForm(PlanStepForm):
    step = PlanStep.PRODUCTION
    current_production = forms.CharField(
        label=label(BusinessPlan, "current_production"), widget=textarea(),
        help_text=_("Processes, equipment and how production is managed today."))
    production_problems = forms.CharField(
        label=label(BusinessPlan, "production_problems"), widget=textarea(),
        help_text=_("What goes wrong today and what it costs (defects, delays, manual "
                    "records…)."))


class SmartFactoryPlanForm(PlanStepForm):
    step = PlanStep.PLAN
    systems = forms.CharField(label=label(BusinessPlan, "systems"), widget=textarea(),
                              help_text=_("The systems, software and equipment to introduce "
                                          "and what each will do."))
    supplier = forms.ModelChoiceField(
        label=_("Supplier from the supplier pool"), queryset=Supplier.objects.none(),
        required=False, empty_label=_("— not in the pool: name it below —"))
    supplier_name = forms.CharField(label=_("Or name another supplier"), max_length=200,
                                    required=False)
    supplier_registration_number = RegistrationNumberFormField(
        label=_("That supplier's business registration number"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(approved=True).order_by(
            "name")
        self.fields["supplier"].label_from_instance = (
            lambda s: f"{s.name} ({format_registration_number(s.registration_number)})"
                      + (f" · {s.specialties}" if s.specialties else ""))

    def layout(self):
        return Layout(
            "revision", "systems",
            Fieldset(_("Supplier"), "supplier",
                     Div(Div("supplier_name", css_class="col-md-6"),
                         Div("supplier_registration_number", css_class="col-md-6"),
                         css_class="row")),
        )

    def initial_from(self, plan):
        return {"systems": plan.systems, "supplier": plan.supplier_id,
                "supplier_name": plan.supplier_name,
                "supplier_registration_number": plan.supplier_registration_number}

    def clean(self):
        data = super().clean()
        supplier = data.get("supplier")
        name = (data.get("supplier_name") or "").strip()
        number = data.get("supplier_registration_number")
        if "supplier_registration_number" in self.errors:
            return data
        if supplier and (name or number):
            self.add_error("supplier", _("Choose a supplier from the pool or name another "
                                         "one, not both."))
        elif not supplier and not name and not number:
            self.add_error("supplier", _("Choose a supplier from the pool, or name your "
                                         "supplier with its business registration number."))
        elif not supplier and name and not number:
            self.add_error("supplier_registration_number",
                           _("Give the named supplier's business registration number."))
        elif not supplier and number and not name:
            self.add_error("supplier_name", _("Give the name of the supplier."))
        if "supplier_name" in data:
            data["supplier_name"] = name
        return data


class BudgetForm(PlanStepForm):
    step = PlanStep.BUDGET
    cost_software = WonField(label=pgettext_lazy("cost item", "Software"), required=False)
    cost_hardware = WonField(label=pgettext_lazy("cost item", "Hardware"), required=False)
    cost_consulting = WonField(label=pgettext_lazy("cost item", "Consulting"), required=False)
    cost_other = WonField(label=pgettext_lazy("cost item", "Other"), required=False)
    contribution_cash = WonField(label=label(BusinessPlan, "contribution_cash"),
                                 required=False)
    contribution_in_kind = WonField(label=label(BusinessPlan, "contribution_in_kind"),
                                    required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.editable:
            preview = {"hx-post": reverse("applications:support_preview",
                                          args=[self.application.pk]),
                       "hx-trigger": "input changed delay:300ms",
                       "hx-target": "#support-preview", "hx-swap": "outerHTML",
                       # its own queue: replacing a preview never aborts an autosave
                       "hx-sync": "#support-preview:replace"}
            for name in COST_FIELDS + CONTRIBUTION_FIELDS:
                self.fields[name].widget.attrs.update(preview)

    def amount(self, name):
        """One amount with its ₩ sign; while the plan is editable it saves on its own two
        seconds after the typing stops, as the text steps do (the wrapper sends the form, the
        field's name in ``field``; the input itself asks for the support preview)."""
        autosave = {}
        if self.editable:
            autosave = {
                "hx_post": reverse("applications:autosave", args=[self.application.pk]),
                "hx_trigger": "input changed delay:2s from:find input",
                "hx_vals": f'{{"field": "{name}"}}', "hx_target": "#autosave-status",
                # one queue with the text autosaves: each sends the revision the last answered
                "hx_swap": "innerHTML", "hx_sync": "closest form:queue all",
                "data_autosave": name}
        return Div(PrependedText(name, "₩"), css_class="col-md-6", **autosave)

    def layout(self):
        return Layout(
            "revision",
            Fieldset(_("Project cost by item (won)"),
                     Div(*[self.amount(name) for name in COST_FIELDS], css_class="row")),
            HTML('{% include "applications/_support_preview.html" %}'),
            Fieldset(_("Company contribution (won)"),
                     Div(*[self.amount(name) for name in CONTRIBUTION_FIELDS],
                         css_class="row")),
        )

    def clean(self):
        data = super().clean()
        names = COST_FIELDS + CONTRIBUTION_FIELDS
        if any(name in self.errors for name in names):
            return data
        for name in names:
            data[name] = data.get(name) or 0
        problems = budget_problems(
            {name: data[name] for name in COST_FIELDS}, data["contribution_cash"],
            data["contribution_in_kind"], rules=track_rules(self.application.track),
            min_cash_share=self.application.call.min_cash_share)
        for problem in problems:
            self.add_error(problem.field, problem.message)
        return data

    def plan_values(self):
        values = super().plan_values()
        return {name: value or 0 for name, value in values.items()}


class KpiForm(PlanStepForm):
    """Baseline and target of the four KPIs (productivity, defect rate, cost, lead time)."""

    step = PlanStep.KPIS

    @classmethod
    def kpi_field(cls, kpi, part):
        return forms.DecimalField(
            label=(pgettext_lazy("kpi", "Baseline") if part == "baseline"
                   else pgettext_lazy("kpi", "Target")), required=True,
            min_value=Decimal("0"), max_digits=15, decimal_places=2,
            max_value=Decimal("100") if kpi == Kpi.DEFECT_RATE else None,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}))

    def layout(self):
        rows = []
        for kpi in Kpi:
            rows.append(Fieldset(
                f"{kpi.label} ({KPI_UNITS[kpi]})",
                Div(Div(f"{kpi.value}_baseline", css_class="col-md-6"),
                    Div(f"{kpi.value}_target", css_class="col-md-6"), css_class="row")))
        return Layout("revision", *rows)

    def initial_from(self, plan):
        values = kpi_values(plan.kpis)
        return {f"{kpi.value}_{part}": values.get(kpi.value, {}).get(part)
                for kpi in Kpi for part in ("baseline", "target")}

    def plan_values(self):
        data = getattr(self, "cleaned_data", {})
        stored = kpi_values(self.plan.kpis)
        rows = []
        for kpi in Kpi:
            row = {"code": kpi.value}
            for part in ("baseline", "target"):
                name = f"{kpi.value}_{part}"
                if name in data and data[name] is not None:
                    row[part] = f"{data[name].normalize():f}"
                elif name in self.errors:
                    row[part] = stored.get(kpi.value, {}).get(part)
                else:
                    row[part] = None
            rows.append(row)
        return {"kpis": rows}


KpiForm.base_fields.update({f"{kpi.value}_{part}": KpiForm.kpi_field(kpi, part)
                            for kpi in Kpi for part in ("baseline", "target")})


class ScheduleForm(PlanStepForm):
    step = PlanStep.SCHEDULE
    schedule_start = forms.DateField(label=label(BusinessPlan, "schedule_start"),
                                     widget=forms.DateInput(attrs={"type": "date"},
                                                            format="%Y-%m-%d"))
    schedule_end = forms.DateField(label=label(BusinessPlan, "schedule_end"),
                                   widget=forms.DateInput(attrs={"type": "date"},
                                                          format="%Y-%m-%d"))
    schedule_notes = forms.CharField(label=_("Milestones"), widget=textarea(), required=False,
                                     help_text=_("What is done in which month."))

    def layout(self):
        return Layout("revision",
                      Div(Div("schedule_start", css_class="col-md-6"),
                          Div("schedule_end", css_class="col-md-6"), css_class="row"),
                      "schedule_notes")

    def clean(self):
        """The end on or after the start (``plan_schedule_ends_after_start``), judged on what
        would be stored: a field typed wrong keeps its stored value. When the pair breaks,
        the whole step is refused, so the valid one is not saved alone."""
        data = super().clean()
        typed = {name: name in data for name in ("schedule_start", "schedule_end")}
        start = data["schedule_start"] if typed["schedule_start"] else self.plan.schedule_start
        end = data["schedule_end"] if typed["schedule_end"] else self.plan.schedule_end
        if start and end and end < start:
            if typed["schedule_end"]:
                self.refuse("schedule_end", _("The project must end on or after the day it "
                                              "starts."))
            else:
                self.refuse("schedule_start", _(
                    "The project must start on or before the day it ends (%(end)s, as saved "
                    "before).") % {"end": date_format(end, "Y-m-d")})
        return data


class BonusForm(PlanStepForm):
    """The call's bonus items: tick the ones claimed and give the evidence of each."""

    step = PlanStep.BONUS

    def __init__(self, *args, application, plan, **kwargs):
        self.items = list(application.call.bonus_items.all())
        self.current = {c.bonus_item_id: c for c in application.bonus_claims.all()}
        super().__init__(*args, application=application, plan=plan, **kwargs)
        for item in self.items:
            name = f"{translated(item, 'name')} (+{item.points.normalize():f})"
            self.fields[f"claim_{item.pk}"] = forms.BooleanField(label=name, required=False,
                                                                 disabled=not self.editable)
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label=_("Evidence"), required=False, widget=textarea(3),
                disabled=not self.editable,
                help_text=_("What shows the company qualifies, and which document proves it."))
        self.helper.layout = Layout("revision", *[
            Div(Field(f"claim_{item.pk}"), Field(f"evidence_{item.pk}"),
                css_class="border rounded p-3 mb-3") for item in self.items])

    def initial_from(self, plan):
        initial = {}
        for item_pk, claim in self.current.items():
            initial[f"claim_{item_pk}"] = True
            initial[f"evidence_{item_pk}"] = claim.evidence
        return initial

    def clean(self):
        data = super().clean()
        for item in self.items:
            if data.get(f"claim_{item.pk}") and not (data.get(f"evidence_{item.pk}")
                                                     or "").strip():
                self.add_error(f"evidence_{item.pk}",
                               _("Describe the evidence for this bonus item."))
        return data

    def plan_values(self):
        return {}

    def claims(self):
        if self.errors:
            return None
        return {item: (self.cleaned_data[f"evidence_{item.pk}"].strip()
                       if self.cleaned_data.get(f"claim_{item.pk}") else None)
                for item in self.items}


STEP_FORMS = {form.step: form for form in (CompanyStatusForm, ProductionForm,
                                             SmartFactoryPlanForm, BudgetForm, KpiForm,
                                             ScheduleForm, BonusForm)}


def autosave_value(name: str, value: str):
    """What autosave stores for the plan field ``name``: a long text checked by its field's
    validators, or an amount of the budget step parsed by its field (empty is 0). Raises the
    field's ValidationError, with its message, for anything else."""
    if name in AUTOSAVE_AMOUNTS:
        return BudgetForm.base_fields[name].clean(value) or 0
    check_autosave(name, value)
    return value


def check_autosave(name: str, value: str) -> None:
    """Run the validators of the step field ``name`` on ``value``. Autosave saves one field
    without its form, so it would skip them: a NUL character (``ProhibitNullCharacters``)
    reached the database, which PostgreSQL refuses (500). Emptying a field is allowed."""
    field = next(form.base_fields[name] for form in STEP_FORMS.values()
                 if name in form.base_fields)
    field.run_validators(field.to_python(value))


class TrackChoiceForm(forms.Form):
    track = forms.ModelChoiceField(label=_("Track"), queryset=None, widget=forms.RadioSelect,
                                   empty_label=None)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        # Cluster tracks are applied to together, from the cluster pages.
        self.fields["track"].queryset = call.tracks.exclude(kind=TrackKind.CLUSTER).order_by(
            "order")
        self.fields["track"].label_from_instance = lambda t: translated(t, "name")
        self.helper = FormHelper()
        self.helper.form_tag = False


# --- Documents -----------------------------------------------------------------------------------

class DocumentUploadForm(forms.Form):
    document_type = forms.ModelChoiceField(label=_("Kind of document"), queryset=None)
    file = forms.FileField(label=_("File"),
                           help_text=_("PDF, HWP, HWPX, DOCX or XLSX. Its content is checked, "
                                       "not its name."))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = call.required_documents.order_by("code")
        self.fields["document_type"].label_from_instance = lambda d: translated(d, "name")
        self.mime = None
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.mime = validate_upload(upload, allowed=DOCUMENT_TYPES)
        return upload


# --- Staff ---------------------------------------------------------------------------------------

class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("eligible", _("Eligible")), ("ineligible", _("Ineligible"))])
    reason = forms.CharField(label=_("Reason"), widget=textarea(3), required=False,
                             help_text=_("Required when the application is ineligible; the "
                                         "company reads it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        if data.get("decision") == "ineligible" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason why the application is ineligible."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=500)
