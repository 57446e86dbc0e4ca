"""Staff screening and bonus verification; the operators' read-only list of their region."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from portal import numbers
from portal.mixins import RulesRequiredMixin
from programs.models import Track

from .. import kinds, selectors, services
from ..enums import ApplicationStatus
from ..forms import ScreeningForm
from ..models import Application, BonusClaim, Document


class StaffApplicationMixin(RulesRequiredMixin):
    permission_required = "applications.screen_application"

    def get_application(self):
        if not hasattr(self, "_application"):
            self._application = get_object_or_404(
                Application.objects.select_related("call", "call__region", "track", "company",
                                                   "company__region", "cluster")
                .prefetch_related("versions", Prefetch(
                    "bonus_claims", queryset=BonusClaim.objects.select_related(
                        "bonus_item", "verified_by")),
                    Prefetch("documents",
                             queryset=Document.objects.select_related("document_type"))),
                pk=self.kwargs["pk"])
        return self._application


class ScreeningView(StaffApplicationMixin, TemplateView):
    """Screen a submitted application (eligible / ineligible with a reason) and verify its
    bonus claims; both go through the services, the first through ``transition``."""

    template_name = "applications/staff_screening.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.get_application()
        latest = selectors.latest_version(application)
        cluster = selectors.cluster_of(application)
        if cluster is not None:
            failures = kinds.get(kinds.CLUSTER).eligibility_failures(
                application, latest, now=application.submitted_at)
        else:
            failures = selectors.eligibility_failures(
                application.company, application.call, application=application,
                now=application.submitted_at)
        context.update(
            application=application, latest=latest, cluster=cluster,
            form=form or ScreeningForm(),
            can_screen=application.status in (ApplicationStatus.SUBMITTED,
                                              ApplicationStatus.ELIGIBLE,
                                              ApplicationStatus.INELIGIBLE),
            failures=failures,
            state_changes=application.state_changes.select_related("actor"),
            claims=list(application.bonus_claims.all()),
        )
        if latest is not None:
            context.update(selectors.version_display(latest, self.request.user))
        return context

    def post(self, request, pk):
        application = self.get_application()
        form = ScreeningForm(request.POST)
        if form.is_valid():
            try:
                services.screen_application(
                    application, eligible=form.cleaned_data["decision"] == "eligible",
                    reason=form.cleaned_data["reason"], user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The screening decision is recorded."))
                return redirect("applications:screening", pk=pk)
        return self.render_to_response(self.get_context_data(form=form))


class BonusVerifyView(StaffApplicationMixin, View):
    permission_required = "applications.verify_bonus_claim"

    def post(self, request, pk, claim_pk):
        claim = get_object_or_404(self.get_application().bonus_claims.all(), pk=claim_pk)
        verified = request.POST.get("verified") == "yes"
        services.verify_bonus_claim(claim, verified=verified, user=request.user)
        messages.success(request, _("The bonus claim is marked as verified.") if verified
                         else _("The bonus claim is marked as not accepted."))
        return redirect("applications:screening", pk=pk)


class OperatorApplicationListView(RulesRequiredMixin, ListView):
    """The region's applications, read-only, with counts per track (staff see every region)."""

    permission_required = "applications.view_region_applications"
    template_name = "applications/operator_list.html"
    context_object_name = "applications"
    paginate_by = 50

    def get_queryset(self):
        # By call and receipt number along the index application_call_receipt: a page reads
        # 51 rows of the index, not every application sorted by its call's code.
        queryset = selectors.operator_applications(self.request.user).order_by(
            "call_id", "receipt_number", "pk")
        self.track = None
        track_pk = self.request.GET.get("track")
        if track_pk and numbers.is_ascii_digits(track_pk):  # "²".isdigit() is True
            self.track = Track.objects.filter(pk=track_pk).select_related("call").first()
            queryset = queryset.filter(track_id=track_pk)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.counts_per_track(
            selectors.applications_for_operator(self.request.user))
        context["track"] = self.track
        return context


class OperatorApplicationDetailView(RulesRequiredMixin, TemplateView):
    permission_required = "applications.view_region_applications"
    template_name = "applications/operator_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = get_object_or_404(
            selectors.operator_applications(self.request.user).prefetch_related("versions"),
            pk=self.kwargs["pk"])
        latest = selectors.latest_version(application)
        context.update(application=application, latest=latest,
                       state_changes=application.state_changes.select_related("actor"))
        if latest is not None:
            context.update(selectors.version_display(latest, self.request.user))
        return context
