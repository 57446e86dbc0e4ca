"""Pages of the post-award life cycle: a company's agreement (accept, decline, change requests,
technical design), staff and operators' agreement lists and change-request decisions, staff's
promotions, cancellations and exclusions. Views call a service or a selector and render."""

from __future__ import annotations

from allauth.account.forms import ReauthenticateForm
from allauth.account.internal.flows.reauthentication import reauthenticate_by_password
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from awards.enums import RunStatus
from companies.models import Exclusion
from portal.mixins import RulesRequiredMixin
from portal.paging import WindowPaginator
from programs.enums import FundingSource
from programs.models import Track
from programs.selectors import manageable_calls

from . import change_requests, promoting, selectors, services
from .enums import ChangeStatus, PromotionStatus
from .forms import (
    AcceptForm,
    CancelForm,
    ChangeRequestForm,
    DecisionForm,
    DeclineForm,
    DesignUploadForm,
    ExclusionForm,
)
from .models import AdditionalNotice, AgreementVersion, PromotionRun

PAGE = 50
SOURCE_LABELS = dict(FundingSource.choices)


def source_rows(amounts: dict) -> list[tuple[str, int]]:
    """``{"national": 1, …}`` as (label, amount) rows, in the sources' order."""
    return [(SOURCE_LABELS[source], amounts.get(source, 0)) for source in selectors.SOURCES
            if source in amounts]


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: per field when it names fields, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- The company's agreement --------------------------------------------------------------

class AgreementMixin(RulesRequiredMixin):
    permission_required = "projects.view_agreement"

    def get_agreement(self):
        if not hasattr(self, "_agreement"):
            self._agreement = get_object_or_404(
                selectors.agreements_for_user(self.request.user).select_related(
                    "application__call__programme", "updated_by", "accepted_by"),
                pk=self.kwargs["pk"])
        return self._agreement

    def get_permission_object(self):
        return self.get_agreement()


class AgreementDetailView(AgreementMixin, TemplateView):
    template_name = "projects/agreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.get_agreement()
        user = self.request.user
        member = user.has_perm("projects.act_on_agreement", agreement)
        status = agreement.application.status
        is_open = agreement.is_open
        now = timezone.now()
        terms = selectors.terms_of(agreement.application.call)
        if member and is_open and "form" not in kwargs:
            context["form"] = AcceptForm(agreement=agreement, max_months=terms.project_months)
        context.setdefault("decline_form", DeclineForm())
        context.update(
            agreement=agreement, application=agreement.application, member=member,
            is_open=is_open, is_accepted=status == services.S.AGREEMENT,
            is_closed=not is_open and status != services.S.AGREEMENT,
            past_deadline=now >= agreement.deadline,
            time_left=agreement.deadline - now if now < agreement.deadline else None,
            versions=list(agreement.versions.order_by("-number")),
            changes=list(agreement.change_requests.select_related("filed_by", "decided_by")),
            designs=list(agreement.designs.all()),
            design_overdue=selectors.design_overdue(agreement),
            design_form=kwargs.get("design_form") or DesignUploadForm(),
            cancel_form=kwargs.get("cancel_form") or CancelForm(),
            can_cancel=user.has_perm("projects.cancel_selection", agreement),
            notice=AdditionalNotice.objects.filter(application=agreement.application).first(),
        )
        return context


class AgreementSaveView(AgreementDetailView):
    """Save the company's corrections, or accept (action ``accept``): the password entered
    again through allauth's reauthentication, the conditions ticked."""

    permission_required = "projects.act_on_agreement"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        agreement = self.get_agreement()
        accepting = request.POST.get("action") == "accept"
        terms = selectors.terms_of(agreement.application.call)
        form = AcceptForm(request.POST, agreement=agreement, max_months=terms.project_months,
                          accepting=accepting)
        if form.is_valid() and accepting:
            password = ReauthenticateForm(user=request.user,
                                          data={"password": form.cleaned_data["password"]})
            if not password.is_valid():
                form.add_error("password", _("This is not your password."))
        if not form.is_valid():
            return self.refused(form)
        try:
            if accepting:
                reauthenticate_by_password(request)
                version = services.accept_agreement(
                    agreement, form.values(), user=request.user,
                    revision=form.cleaned_data["revision"])
            else:
                services.save_agreement(agreement, form.values(), user=request.user,
                                        revision=form.cleaned_data["revision"])
        except ValidationError as exc:
            add_errors(form, exc)
            return self.refused(form)
        if accepting:
            messages.success(request, _("The agreement is accepted (version %(number)d). Its "
                                        "PDF is on this page.") % {"number": version.number})
        else:
            messages.success(request, _("Saved. The support below is computed from your "
                                        "figures."))
        return redirect("projects:agreement", pk=agreement.pk)

    def refused(self, form):
        # Keep what was typed (but never the password) and show the revision now saved, so
        # that saving again is possible after reading the other member's figures.
        data = form.data.copy()
        data.pop("password", None)
        fresh = type(self.get_agreement()).objects.get(pk=self.get_agreement().pk)
        data["revision"] = fresh.revision
        form.data = data
        return self.render_to_response(self.get_context_data(form=form), status=400)


class DeclineView(AgreementDetailView):
    permission_required = "projects.act_on_agreement"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        agreement = self.get_agreement()
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                services.decline_agreement(agreement, user=request.user,
                                           reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Your company has declined its selection."))
                return redirect("projects:agreement", pk=agreement.pk)
        return self.render_to_response(self.get_context_data(decline_form=form), status=400)


class CancelView(AgreementDetailView):
    permission_required = "projects.cancel_selection"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        agreement = self.get_agreement()
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                services.cancel_selection(agreement, user=request.user,
                                          reason=form.cleaned_data["reason"],
                                          exclude=form.cleaned_data["false_documents"],
                                          exclusion_years=form.cleaned_data["years"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The selection is cancelled."))
                return redirect("projects:agreement", pk=agreement.pk)
        return self.render_to_response(self.get_context_data(cancel_form=form), status=400)


class DesignUploadView(AgreementDetailView):
    permission_required = "projects.act_on_agreement"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        agreement = self.get_agreement()
        form = DesignUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.upload_design(agreement, form.cleaned_data["file"], user=request.user,
                                       content_type=form.mime)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The technical design is uploaded."))
                return redirect("projects:agreement", pk=agreement.pk)
        return self.render_to_response(self.get_context_data(design_form=form), status=400)


class ChangeRequestCreateView(AgreementMixin, TemplateView):
    permission_required = "projects.act_on_agreement"
    template_name = "projects/change_request_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.get_agreement()
        context.setdefault("form", ChangeRequestForm())
        return context

    def post(self, request, *args, **kwargs):
        agreement = self.get_agreement()
        form = ChangeRequestForm(request.POST)
        if form.is_valid():
            try:
                change_requests.file_change_request(
                    agreement, user=request.user, kind=form.cleaned_data["kind"],
                    cause_on=form.cleaned_data["cause_on"], reason=form.cleaned_data["reason"],
                    proposed=form.proposed())
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Your change request is filed; you will be "
                                            "emailed when it is decided."))
                return redirect("projects:agreement", pk=agreement.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class VersionDownloadView(RulesRequiredMixin, View):
    permission_required = "projects.view_agreement"

    def get_permission_object(self):
        if not hasattr(self, "_version"):
            self._version = get_object_or_404(
                AgreementVersion.objects.filter(
                    agreement__in=selectors.agreements_for_user(self.request.user),
                    generated_at__isnull=False).exclude(file="")
                .select_related("agreement__application__call"), pk=self.kwargs["pk"])
        return self._version.agreement

    def get(self, request, *args, **kwargs):
        self.get_permission_object()
        version = self._version
        return FileResponse(version.file.open("rb"), as_attachment=True,
                            filename=f"agreement-{version.code}.pdf",
                            content_type="application/pdf")


class AdditionalNoticeDownloadView(RulesRequiredMixin, View):
    permission_required = "projects.view_agreement"

    def get_permission_object(self):
        if not hasattr(self, "_notice"):
            self._notice = get_object_or_404(
                AdditionalNotice.objects.filter(
                    application__agreement__in=selectors.agreements_for_user(
                        self.request.user), generated_at__isnull=False).exclude(file="")
                .select_related("application__agreement__application__call"),
                pk=self.kwargs["pk"])
        return self._notice.application.agreement

    def get(self, request, *args, **kwargs):
        self.get_permission_object()
        notice = self._notice
        return FileResponse(notice.file.open("rb"), as_attachment=True,
                            filename=f"notice-{notice.code}.pdf",
                            content_type="application/pdf")


# --- Staff and operators ------------------------------------------------------------------

class AgreementListView(RulesRequiredMixin, ListView):
    """Every agreement of the user's calls, the soonest deadline first."""

    permission_required = "projects.follow_agreements"
    template_name = "projects/agreement_list.html"
    context_object_name = "agreements"
    paginate_by = PAGE
    paginator_class = WindowPaginator

    def get_queryset(self):
        return selectors.agreements_for_user(self.request.user).order_by("deadline", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        return context


class ChangeRequestListView(RulesRequiredMixin, ListView):
    permission_required = "projects.follow_agreements"
    template_name = "projects/change_request_list.html"
    context_object_name = "changes"
    paginate_by = PAGE
    paginator_class = WindowPaginator

    def get_queryset(self):
        return selectors.change_requests_for_user(self.request.user).order_by(
            "status", "filed_at", "pk")


class ChangeRequestDecideView(RulesRequiredMixin, TemplateView):
    permission_required = "projects.decide_change"
    template_name = "projects/change_request_decide.html"

    def get_change(self):
        if not hasattr(self, "_change"):
            self._change = get_object_or_404(
                selectors.change_requests_for_user(self.request.user)
                .select_related("agreement__application__track"), pk=self.kwargs["pk"])
        return self._change

    def get_permission_object(self):
        return self.get_change()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change = self.get_change()
        context.update(change=change, agreement=change.agreement,
                       is_pending=change.status == ChangeStatus.PENDING,
                       events=list(change.events.select_related("actor")))
        context.setdefault("form", DecisionForm())
        return context

    def post(self, request, *args, **kwargs):
        change = self.get_change()
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                change_requests.decide_change_request(
                    change, user=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The decision is recorded and the company "
                                            "emailed."))
                return redirect("projects:change", pk=change.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PromotionCallListView(RulesRequiredMixin, ListView):
    permission_required = "projects.run_promotions"
    template_name = "projects/promotion_calls.html"
    context_object_name = "calls"

    def get_queryset(self):
        return (manageable_calls(self.request.user)
                .filter(award_runs__status=RunStatus.CONFIRMED).distinct()
                .select_related("region", "programme").order_by("code"))


class PromotionCallView(RulesRequiredMixin, TemplateView):
    """What each track of a call has freed, its waitlist in order, and its promotion runs."""

    permission_required = "projects.run_promotions"
    template_name = "projects/promotion_call.html"

    def get_call(self):
        if not hasattr(self, "_call"):
            self._call = get_object_or_404(
                manageable_calls(self.request.user).select_related("region", "programme"),
                pk=self.kwargs["call_id"])
        return self._call

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.get_call()
        context.update(call=call, tracks=selectors.promotion_overview(call),
                       free=source_rows(selectors.free_on_lines(call)),
                       runs=list(selectors.promotion_runs(call)),
                       ends_on=selectors.promotion_ends_on(call))
        return context


class StartPromotionView(PromotionCallView):
    http_method_names = ["post"]

    def get_call(self):
        if not hasattr(self, "_call"):
            self._track = get_object_or_404(
                Track.objects.filter(call__in=manageable_calls(self.request.user))
                .select_related("call__region", "call__programme"), pk=self.kwargs["track_id"])
            self._call = self._track.call
        return self._call

    def post(self, request, *args, **kwargs):
        self.get_call()
        try:
            run = promoting.start_promotion(self._track, user=request.user)
        except services.Refused as exc:
            return self.render_to_response(self.get_context_data(refusal=exc.messages[0]),
                                           status=400)
        return redirect("projects:promotion", pk=run.pk)


class PromotionRunView(RulesRequiredMixin, TemplateView):
    permission_required = "projects.run_promotions"
    template_name = "projects/promotion_run.html"

    def get_run(self):
        if not hasattr(self, "_run"):
            self._run = get_object_or_404(
                PromotionRun.objects.filter(call__in=manageable_calls(self.request.user))
                .select_related("call", "track", "started_by", "confirmed_by"),
                pk=self.kwargs["pk"])
        return self._run

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        context.update(run=run, call=run.call, free=source_rows(run.inputs["free"]),
                       lines=list(run.lines.select_related("application__company")),
                       is_preview=run.status == PromotionStatus.PREVIEW,
                       notices=list(AdditionalNotice.objects.filter(line__run=run)
                                    .select_related("application")))
        return context


class ConfirmPromotionView(PromotionRunView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            promoting.confirm_promotion(self.get_run(), user=request.user)
        except services.Refused as exc:
            return self.render_to_response(self.get_context_data(refusal=exc.messages[0]),
                                           status=400)
        messages.success(request, _("The promotion is confirmed: the additional selection "
                                    "notices are being generated."))
        return redirect("projects:promotion", pk=self.kwargs["pk"])


class ExclusionListView(RulesRequiredMixin, ListView):
    permission_required = "projects.record_exclusion"
    template_name = "projects/exclusions.html"
    context_object_name = "exclusions"
    paginate_by = PAGE
    paginator_class = WindowPaginator

    def get_queryset(self):
        return Exclusion.objects.select_related("recorded_by").order_by("-starts_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ExclusionForm())
        return context

    def post(self, request, *args, **kwargs):
        form = ExclusionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_exclusion(data["registration_number"], reason=data["reason"],
                                          user=request.user, ends_on=data["ends_on"],
                                          company_name=data["company_name"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The exclusion is recorded."))
                return redirect("projects:exclusions")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)

