from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from outbox import services as outbox
from portal.mixins import RulesRequiredMixin
from programs.selectors import manageable_calls

from . import exports, selectors, services, verification
from .enums import RunStatus
from .forms import VerifyForm
from .models import AwardRun, Notice, normalise_code, notices_group

CHART_BAR_WIDTH = 250


class AwardCallListView(RulesRequiredMixin, ListView):
    """The calls whose awards the user follows: every call for staff, its region's for an
    operator."""

    permission_required = "awards.view_budgets"
    template_name = "awards/call_list.html"
    context_object_name = "calls"

    def get_queryset(self):
        return selectors.award_calls(manageable_calls(self.request.user))


class CallMixin(RulesRequiredMixin):
    permission_required = "awards.run_awards"

    def get_call(self):
        if not hasattr(self, "_call"):
            self._call = get_object_or_404(
                manageable_calls(self.request.user).select_related("region", "programme"),
                pk=self.kwargs["call_id"])
        return self._call

    def get_permission_object(self):
        return self.get_call()


class CallRunsView(CallMixin, TemplateView):
    """A call's award runs, newest first, and the button that starts a new one."""

    template_name = "awards/call_runs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.get_call()
        context["call"] = call
        context["runs"] = selectors.runs_of_call(call)
        context.setdefault("refusal", selectors.refusal_reason(call))
        context["open_warning"] = selectors.open_call_warning(call)
        return context


class StartRunView(CallRunsView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            run = services.start_run(self.get_call(), user=request.user)
        except services.AwardRunRefused as exc:
            return self.render_to_response(self.get_context_data(refusal=exc.message))
        messages.success(request, _("Award run #%(run)d started.") % {"run": run.pk})
        return redirect("awards:run", pk=run.pk)


class RunMixin(RulesRequiredMixin):
    permission_required = "awards.run_awards"

    def get_run(self):
        if not hasattr(self, "_run"):
            self._run = get_object_or_404(
                AwardRun.objects.defer("inputs").select_related(
                    "call__region", "call__programme", "started_by", "confirmed_by"),
                pk=self.kwargs["pk"])
        return self._run

    def get_permission_object(self):
        return self.get_run().call


class RunDetailView(RunMixin, ListView):
    """A run: its status, the preview of every result line, confirmation and notices."""

    template_name = "awards/run_detail.html"
    context_object_name = "lines"
    # Rendering the rows is most of the page (eleven columns, six of them localised numbers
    # and amounts): 50 a page, like the other staff lists.
    paginate_by = 50

    def get_queryset(self):
        return selectors.run_lines(self.get_run())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        context["run"] = run
        context["call"] = run.call
        context["summary"] = selectors.run_summary(run)
        context["progress"] = selectors.notice_progress(run)
        context["progress_trigger"] = progress_trigger()
        return context


class RunExportView(RunMixin, View):
    """The run's result lines with each decision's stability as CSV or XLSX."""

    FORMATS = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }

    def get(self, request, pk, fmt):
        if fmt not in self.FORMATS:
            raise Http404
        run = self.get_run()
        body = exports.run_csv(run) if fmt == "csv" else exports.run_xlsx(run)
        response = HttpResponse(body, content_type=self.FORMATS[fmt])
        response["Content-Disposition"] = (
            f'attachment; filename="award-run-{run.call.code}-{run.pk}.{fmt}"')
        return response


class RunStatusView(RunMixin, TemplateView):
    """The HTMX-polled status of a run being computed; reloads the page once it is done."""

    template_name = "awards/run_detail.html#run-status"

    def get(self, request, *args, **kwargs):
        run = self.get_run()
        if run.status != RunStatus.QUEUED and request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return self.render_to_response({"run": run})


class ConfirmRunView(RunDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.confirm_run(self.get_run(), user=request.user)
        except services.AwardRunRefused as exc:
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(refusal=exc.message))
        messages.success(request, _("The run is confirmed: every application has its result "
                                    "and the notices are being generated."))
        return redirect("awards:run", pk=self.kwargs["pk"])


class RequeueRunView(RunMixin, View):
    """Queue the computation of a run again (the broker was unreachable when it started)."""

    def post(self, request, *args, **kwargs):
        run = self.get_run()
        if run.status == RunStatus.QUEUED and not services.queue_computation(run):
            messages.error(request, _("The task queue cannot be reached; try again in a "
                                      "moment."))
        return redirect("awards:run", pk=run.pk)


class NoticeProgressView(RunMixin, TemplateView):
    """The HTMX-polled progress bar of a run's notices. With no broker (the embedded default)
    each poll makes the next notice (``outbox.work_on``), so the bar moves as they are made and
    the confirmation returned at once."""

    template_name = "awards/run_detail.html#notice-progress"

    def get_context_data(self, **kwargs):
        run = self.get_run()
        outbox.work_on(notices_group(run.pk), limit=1)
        return {"run": run, "progress": selectors.notice_progress(run),
                "progress_trigger": progress_trigger()}


def progress_trigger() -> str:
    """How often the notices' bar asks again: with no broker each poll makes a notice, so the
    next one is asked for as soon as the bar is shown; with workers, every two seconds."""
    return "load delay:100ms" if outbox.eager() else "every 2s"


class SendNoticesView(RunMixin, View):
    """Queue every notice of a confirmed run that is not sent yet (the retry action)."""

    def post(self, request, *args, **kwargs):
        run = self.get_run()
        if run.status != RunStatus.CONFIRMED:
            raise Http404
        queued, pending = services.queue_notices(run)
        if pending:
            messages.error(request, ngettext(
                "The task queue cannot be reached: %(count)d notice is still pending. Try "
                "again in a moment.",
                "The task queue cannot be reached: %(count)d notices are still pending. Try "
                "again in a moment.", pending) % {"count": pending})
        else:
            messages.success(request, ngettext(
                "%(count)d notice queued.", "%(count)d notices queued.", queued)
                % {"count": queued})
        return redirect(reverse("awards:run", args=[run.pk]) + "#notices")


class BudgetDashboardView(CallMixin, TemplateView):
    permission_required = "awards.view_budget"
    template_name = "awards/budget.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dashboard = selectors.budget_dashboard(self.get_call())
        context["call"] = self.get_call()
        context["dashboard"] = dashboard
        # A horizontal bar per budget line, drawn as SVG (no script, no style attribute).
        context["chart_rows"] = [
            {"line": line, "y": 4 + 26 * index, "text_y": 17 + 26 * index,
             "width": CHART_BAR_WIDTH * line.percent // 100}
            for index, line in enumerate(dashboard.lines)]
        context["chart_height"] = 8 + 26 * len(dashboard.lines)
        return context


class NoticeDownloadView(RulesRequiredMixin, View):
    """A notice's PDF, for its company's members and staff; 404 for anyone else."""

    permission_required = "awards.download_notice"

    def get_permission_object(self):
        if not hasattr(self, "_notice"):
            self._notice = get_object_or_404(
                selectors.notices_for_user(self.request.user)
                .select_related("application"), pk=self.kwargs["pk"])
        return self._notice

    def get(self, request, *args, **kwargs):
        notice = self.get_permission_object()
        return FileResponse(notice.file.open("rb"), as_attachment=True,
                            filename=f"notice-{notice.code}.pdf",
                            content_type="application/pdf")


class VerifyFormView(TemplateView):
    """Type a verification code (or scan the QR code, which opens the result directly)."""

    template_name = "awards/verify.html"

    def get(self, request, *args, **kwargs):
        form = VerifyForm(request.GET or None)
        if form.is_bound and form.is_valid():
            return redirect("awards:notice_verify", code=form.cleaned_data["code"])
        return self.render_to_response({"form": form})


class VerifyView(TemplateView):
    """Public: confirms the key facts of the notice with this code, or says none has it."""

    template_name = "awards/verify.html"

    def get(self, request, *args, **kwargs):
        form = VerifyForm({"code": self.kwargs["code"]})
        if not form.is_valid():  # a malformed code (a NUL character too) is never looked up
            return self.render_to_response({"form": form, "not_found": True}, status=404)
        code = normalise_code(self.kwargs["code"])
        try:
            notice = selectors.notice_for_display(selectors.verifiable_notices(), code=code)
        except Notice.DoesNotExist:
            document = verification.find(code)
            if document is not None:
                return self.render_to_response({"form": VerifyForm(initial={"code": code}),
                                                "document": document})
            return self.render_to_response(
                {"form": VerifyForm(initial={"code": self.kwargs["code"]}), "not_found": True},
                status=404)
        return self.render_to_response({"form": VerifyForm(initial={"code": code}),
                                        "notice": notice})
