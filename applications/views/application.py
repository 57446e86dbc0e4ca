"""Starting an application, the business plan's steps (with autosave and the live support
figures), submission, withdrawal and the frozen versions."""

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from companies.selectors import company_of
from portal.mixins import RulesRequiredMixin
from portal.money import parse_money
from programs.enums import AnnouncementStatus, TrackKind
from programs.models import Call

from .. import selectors, services
from ..checks import AUTOSAVE_AMOUNTS, AUTOSAVE_FIELDS, CONTRIBUTION_FIELDS, COST_FIELDS
from ..enums import ApplicationStatus, PlanStep
from ..forms import STEP_FORMS, TrackChoiceForm, WithdrawForm, autosave_value
from ..models import Application

STEPS = list(PlanStep)


def to_cluster_page(request, cluster):
    """Where the company's pages send an application that represents a cluster."""
    messages.info(request, _("This application represents the cluster “%(cluster)s”: it is "
                             "followed and changed on the cluster's page.")
                  % {"cluster": cluster.name})
    return redirect("clusters:detail", pk=cluster.pk)


class MemberApplicationMixin(RulesRequiredMixin):
    """One application of the user's own company; 404 for any other. An application that
    represents a cluster leads to the cluster's page: it is changed only there."""

    permission_required = "applications.change_application"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            cluster = selectors.cluster_of(self.get_application())
            if cluster is not None:
                return to_cluster_page(request, cluster)
        return super().dispatch(request, *args, **kwargs)

    def get_application(self) -> Application:
        if not hasattr(self, "_application"):
            try:
                self._application = selectors.application_for_member(self.request.user,
                                                                      self.kwargs["pk"])
            except Application.DoesNotExist as exc:
                raise Http404 from exc
        return self._application

    def get_permission_object(self):
        return self.get_application()

    def application_context(self):
        application = self.get_application()
        state = selectors.completeness(application)
        closed = selectors.editing_closed_reason(application)
        return {
            "application": application,
            "call": application.call,
            "plan": application.plan,
            "completeness": state,
            "steps": [(step, not state.steps[step.value]) for step in STEPS],
            "closed_reason": closed,
            "editable": not closed,
        }


def budget_summary_for(application, plan=None, data=None):
    """The support figures for the budget step: from the stored plan, or from typed data."""
    if data is None:
        plan = plan or application.plan
        return selectors.support_summary(
            application, {name: getattr(plan, name) for name in COST_FIELDS},
            plan.contribution_cash, plan.contribution_in_kind)
    values = {name: parse_money(data.get(name)) for name in COST_FIELDS + CONTRIBUTION_FIELDS}
    invalid = any(values[name] is None and (data.get(name) or "").strip()
                  for name in values)
    return selectors.support_summary(
        application, {name: values[name] for name in COST_FIELDS},
        values["contribution_cash"], values["contribution_in_kind"], invalid=invalid)


class StartApplicationView(LoginRequiredMixin, TemplateView):
    """The Apply button of a call: choose a track and start (or go back to) the company's
    application. One application per company per call: a second start leads to the first."""

    template_name = "applications/start.html"

    def get_call(self):
        return get_object_or_404(
            Call.objects.filter(announcements__status=AnnouncementStatus.PUBLISHED)
            .select_related("region", "programme").distinct(),
            pk=self.kwargs["call_pk"])

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.call = self.get_call()
        self.company = company_of(request.user)
        if self.company is None:
            if rules.has_perm("companies.register_company", request.user):
                messages.info(request, _("Register your company first; then choose the "
                                         "track you apply to."))
                return redirect(reverse("companies:company_create") + "?next="
                                + request.path)
            raise Http404
        existing = (self.company.applications.filter(call=self.call)
                    .select_related("cluster").first())
        if existing is not None:
            cluster = selectors.cluster_of(existing)
            if cluster is not None:
                return to_cluster_page(request, cluster)
            messages.info(request, _("Your company already has an application for this call; "
                                     "here it is."))
            return redirect("applications:detail", pk=existing.pk)
        if not self.call.tracks.exclude(kind=TrackKind.CLUSTER).exists():
            # The cluster programme: companies apply together, from the cluster pages.
            return redirect(reverse("clusters:open") + f"?call={self.call.pk}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(call=self.call, company=self.company,
                       failures=selectors.eligibility_failures(self.company, self.call),
                       is_open=self.call.opens_at <= timezone.now() < self.call.closes_at)
        context.setdefault("form", TrackChoiceForm(call=self.call))
        return context

    def post(self, request, call_pk):
        form = TrackChoiceForm(request.POST, call=self.call)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            application, _created = services.start_application(
                self.company, form.cleaned_data["track"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        return redirect("applications:step", pk=application.pk, step=STEPS[0].value)


class ApplicationDetailView(MemberApplicationMixin, TemplateView):
    """The application's overview: status, steps, documents, eligibility, versions."""

    template_name = "applications/application_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.application_context())
        application = context["application"]
        context["failures"] = selectors.eligibility_failures(
            application.company, application.call, application=application)
        context["versions"] = sorted(application.versions.all(), key=lambda v: -v.number)
        context["next_step"] = selectors.next_step(application, context["completeness"])
        context["can_withdraw"] = (application.status == ApplicationStatus.SUBMITTED
                                   and timezone.now() < application.call.closes_at)
        context["can_reopen"] = (application.status == ApplicationStatus.WITHDRAWN
                                 and timezone.now() < application.call.closes_at)
        context["withdraw_form"] = WithdrawForm()
        context["state_changes"] = application.state_changes.select_related("actor")
        return context


class PlanStepView(MemberApplicationMixin, TemplateView):
    """One step of the business plan. Saving keeps the user on the page with every typed
    value when something is wrong, and saves the fields that are valid."""

    template_name = "applications/plan_step.html"

    def get_step(self) -> PlanStep:
        try:
            return PlanStep(self.kwargs["step"])
        except ValueError as exc:
            raise Http404 from exc

    def make_form(self, data=None, editable=True):
        application = self.get_application()
        return STEP_FORMS[self.get_step()](data, application=application,
                                           plan=application.plan, editable=editable)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.application_context())
        step = self.get_step()
        form = form or self.make_form(editable=context["editable"])
        index = STEPS.index(step)
        context.update(
            step=step, form=form,
            previous_step=STEPS[index - 1] if index else None,
            next_step=STEPS[index + 1] if index + 1 < len(STEPS) else None,
            step_problems=context["completeness"].steps[step.value],
        )
        if step == PlanStep.BUDGET:
            context["summary"] = budget_summary_for(
                context["application"], data=form.data if form.is_bound else None)
        return context

    def post(self, request, pk, step):
        application = self.get_application()
        form = self.make_form(request.POST)
        valid = form.is_valid()
        revision = form.cleaned_data.get("revision") if hasattr(form, "cleaned_data") else None
        values = form.step_values()
        saved_partly = False
        if revision is not None and (valid or values):
            try:
                new_revision = services.save_plan(application, values, revision=revision,
                                                  user=request.user,
                                                  claims=form.claims() if valid else None)
            except ValidationError as error:  # PlanConflict, EditingClosed
                form.add_error(None, error)
                valid = False
            else:
                if valid:
                    messages.success(request, _("Saved."))
                    return redirect(self.success_url(request.POST.get("goto")))
                form.data = form.data.copy()
                form.data["revision"] = new_revision
                saved_partly = True
        elif revision is None:
            form.add_error(None, _("The form was incomplete; reload the page and try again."))
        return self.render_to_response(self.get_context_data(form=form,
                                                             saved_partly=saved_partly))

    def success_url(self, goto):
        application = self.get_application()
        if goto == "documents":
            return reverse("applications:documents", args=[application.pk])
        if goto == "submit":
            return reverse("applications:submit", args=[application.pk])
        if goto in PlanStep.values:
            return reverse("applications:step", args=[application.pk, goto])
        return reverse("applications:step", args=[application.pk, self.get_step().value])


class AutosaveView(MemberApplicationMixin, View):
    """Saves one long text field, or one amount of the budget step, as the company types
    (HTMX, two seconds after the typing stops). Answers a small status and the plan's new
    revision (swapped into the form out of band)."""

    def post(self, request, pk):
        application = self.get_application()
        name = (request.htmx.trigger_name if request.htmx else None) or request.POST.get(
            "field")
        if name not in AUTOSAVE_FIELDS + AUTOSAVE_AMOUNTS:
            return HttpResponseBadRequest()
        try:
            revision = int(request.POST["revision"])
        except (KeyError, ValueError):
            return HttpResponseBadRequest()
        context = {"application": application}
        value = request.POST.get(name, "")
        try:
            # The field's own validators (no NUL character); an amount parsed as its field does.
            value = autosave_value(name, value)
        except ValidationError as error:
            context["error"] = error.messages[0]
            return render(request, "applications/_autosave_status.html", context, status=400)
        status = 200
        try:
            if name in AUTOSAVE_AMOUNTS:
                context["revision"] = services.save_plan(
                    application, {name: value}, revision=revision, user=request.user)
            else:
                context["revision"] = services.autosave_field(
                    application, name, value, revision=revision, user=request.user)
            context["saved_at"] = timezone.now()
        except ValidationError as error:  # PlanConflict, EditingClosed
            context["error"] = error.messages[0]
            status = 409
        return render(request, "applications/_autosave_status.html", context, status=status)


class SupportPreviewView(MemberApplicationMixin, View):
    """The support per funding source for the amounts typed so far, computed by the server
    (HTMX, ``input changed delay:300ms``); nothing is saved."""

    def post(self, request, pk):
        application = self.get_application()
        return render(request, "applications/_support_preview.html",
                      {"summary": budget_summary_for(application, data=request.POST),
                       "application": application, "call": application.call})


class SubmitView(MemberApplicationMixin, TemplateView):
    """Review everything, then submit: one click, one version, one receipt number."""

    template_name = "applications/submit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.application_context())
        application = context["application"]
        context["failures"] = selectors.eligibility_failures(
            application.company, application.call, application=application)
        context["summary"] = budget_summary_for(application)
        context["latest"] = selectors.latest_version(application)
        return context

    def post(self, request, pk):
        application = self.get_application()
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            return HttpResponseBadRequest()
        try:
            version, created = services.submit_application(application, user=request.user,
                                                           revision=revision)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        if created:
            messages.success(request, _("Your application is submitted. Receipt number: "
                                        "%(receipt)s (version %(number)d).")
                             % {"receipt": application.receipt_number,
                                "number": version.number})
        else:
            messages.info(request, _("This plan was already submitted as version %(number)d; "
                                     "nothing has changed since.") % {"number": version.number})
        return redirect("applications:detail", pk=application.pk)


class WithdrawView(MemberApplicationMixin, View):
    def post(self, request, pk):
        application = self.get_application()
        form = WithdrawForm(request.POST)
        form.is_valid()
        try:
            services.withdraw_application(application, user=request.user,
                                          reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The application is withdrawn."))
        return redirect("applications:detail", pk=pk)


class ReopenView(MemberApplicationMixin, View):
    def post(self, request, pk):
        try:
            services.reopen_application(self.get_application(), user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The application is a draft again: change it and "
                                        "submit it before the deadline."))
        return redirect("applications:detail", pk=pk)


class VersionView(RulesRequiredMixin, TemplateView):
    """A submitted version as it was frozen (company, staff, the region's operator)."""

    permission_required = "applications.view_application"
    template_name = "applications/version_detail.html"

    def get_application(self):
        if not hasattr(self, "_application"):
            self._application = get_object_or_404(
                selectors.applications_visible_to(self.request.user)
                .select_related("call", "track", "company", "company__region", "cluster"),
                pk=self.kwargs["pk"])
        return self._application

    def get_permission_object(self):
        return self.get_application()

    def dispatch(self, request, *args, **kwargs):
        # A cluster's version holds every member's figures, which the member companies do
        # not see of each other: companies follow a cluster on its own page.
        if (request.user.is_authenticated and not request.user.is_staff
                and not request.user.region_id):
            cluster = selectors.cluster_of(self.get_application())
            if cluster is not None:
                return to_cluster_page(request, cluster)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.get_application()
        version = get_object_or_404(application.versions, number=self.kwargs["number"])
        context.update(application=application, version=version,
                       **selectors.version_display(version, self.request.user))
        return context
