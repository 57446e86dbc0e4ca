"""Pages of payments, completion reports and settlement: a project's money (every figure a sum
of the ledger), staff's deposits, payment orders and settlement with its flags, the company's
completion report, the settlement notice, and each call's projects and payment file. Views call
a service or a selector and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from applications.enums import CostItem, Kpi
from portal.mixins import RulesRequiredMixin
from portal.money import MoneyField
from programs.selectors import manageable_calls
from projects.views import add_errors

from . import exports, selectors, services
from .enums import OrderStatus, PaymentKind, ProjectStatus, RefundStatus
from .forms import (
    AssignInspectorForm,
    ClawBackForm,
    ClearFlagForm,
    ConflictForm,
    DepositForm,
    InspectionForm,
    InvoiceForm,
    RefundPaidForm,
    SupplierPaymentForm,
)
from .models import (
    CompletionReport,
    Deposit,
    Flag,
    InspectionPhoto,
    PaymentOrder,
    Refund,
    Settlement,
    SupplierPayment,
    TaxInvoice,
)

REPORT_TEXTS = ("summary",)


class ProjectMixin(RulesRequiredMixin):
    permission_required = "settlement.view_project"

    def get_project(self):
        if not hasattr(self, "_project"):
            self._project = get_object_or_404(selectors.projects_for_user(self.request.user),
                                              pk=self.kwargs["pk"])
        return self._project

    def get_permission_object(self):
        return self.get_project()

    def back(self):
        return redirect("settlement:project", pk=self.get_project().pk)


class ProjectView(ProjectMixin, TemplateView):
    """A project's money per funding source (agreed, paid, settled, refunds, still to pay),
    the company's deposits, the payment orders, the report and the settlement."""

    template_name = "settlement/project.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        figures = selectors.project_figures(project)
        settlement = Settlement.objects.filter(project=project).first()
        staff = self.request.user.has_perm("settlement.manage_money", project)
        report = CompletionReport.objects.filter(project=project).first()
        follow_ups = list(project.follow_ups.all())
        today = selectors.korea_date(timezone.now())
        for follow_up in follow_ups:
            follow_up.state = selectors.follow_up_state(follow_up, today)
        refunds = list(project.refunds.all())
        plan_kpis = selectors.plan_kpis(project.agreement.application) if follow_ups else {}
        context.update(
            project=project, agreement=project.agreement,
            application=project.agreement.application, figures=figures,
            rows=selectors.source_rows(project, figures, settlement), settlement=settlement,
            report=report, staff=staff,
            member=self.request.user.has_perm("settlement.report_completion", project),
            deposits=list(project.deposits.all()),
            orders=list(project.orders.select_related("created_by", "confirmed_by")),
            refunds=refunds,
            today=today,
            deposit_form=kwargs.get("deposit_form") or DepositForm(),
            clawback_form=kwargs.get("clawback_form") or ClawBackForm(),
            refund_form=RefundPaidForm(),
            can_pay_advance=staff and not any(figures.advance.values()),
            follow_ups=follow_ups, plan_kpis=plan_kpis,
            kpi_charts=selectors.kpi_chart(project, follow_ups, plan_kpis),
            follow_up_due=next((r for r in follow_ups if r.state in ("due", "overdue")), None),
            is_clawed_back=project.status == ProjectStatus.CLAWED_BACK,
            PaymentKind=PaymentKind, OrderStatus=OrderStatus, RefundStatus=RefundStatus,
        )
        return context


class StaffProjectView(ProjectView):
    permission_required = "settlement.manage_money"
    http_method_names = ["post"]


class DepositView(StaffProjectView):
    def post(self, request, *args, **kwargs):
        project = self.get_project()
        form = DepositForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.record_deposit(project, amount=form.cleaned_data["amount"],
                                        deposited_on=form.cleaned_data["deposited_on"],
                                        upload=form.cleaned_data["file"],
                                        content_type=form.mime, user=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The deposit is recorded."))
                return self.back()
        return self.render_to_response(self.get_context_data(deposit_form=form), status=400)


class PreparePaymentView(StaffProjectView):
    def post(self, request, *args, **kwargs):
        project = self.get_project()
        kind = request.POST.get("kind")
        if kind not in PaymentKind.values:
            return HttpResponseBadRequest()
        try:
            order = services.prepare_payment(project, kind, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self.back()
        return redirect("settlement:order", pk=project.pk, order=order.pk)


class OrderView(ProjectMixin, TemplateView):
    """A payment order to confirm: what is paid from which source to which account."""

    permission_required = "settlement.manage_money"
    template_name = "settlement/order.html"

    def get_order(self):
        return get_object_or_404(PaymentOrder.objects.select_related("created_by"),
                                 project=self.get_project(), pk=self.kwargs["order"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        order = self.get_order()
        figures = selectors.project_figures(project)
        context.update(project=project, order=order, figures=figures,
                       rows=[(row, order.shares[row.source]) for row in
                             selectors.source_rows(project, figures, None)],
                       OrderStatus=OrderStatus)
        return context

    def post(self, request, *args, **kwargs):
        order = self.get_order()
        try:
            services.confirm_payment(order, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("settlement:order", pk=order.project_id, order=order.pk)
        messages.success(request, _("The payment is confirmed and written to the ledger."))
        return self.back()


class RefundPaidView(StaffProjectView):
    def post(self, request, *args, **kwargs):
        project = self.get_project()
        refund = get_object_or_404(Refund, project=project, pk=self.kwargs["refund"])
        form = RefundPaidForm(request.POST)
        if form.is_valid():
            try:
                services.record_refund_paid(refund, user=request.user,
                                            paid_on=form.cleaned_data["paid_on"])
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The refund is recorded as paid."))
        return self.back()


class ClawBackView(StaffProjectView):
    def post(self, request, *args, **kwargs):
        project = self.get_project()
        form = ClawBackForm(request.POST)
        if form.is_valid():
            try:
                services.claw_back(project, user=request.user,
                                   reason=form.cleaned_data["reason"],
                                   exclude=form.cleaned_data["exclude"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The selection is cancelled and everything paid "
                                            "is ordered back."))
                return self.back()
        return self.render_to_response(self.get_context_data(clawback_form=form), status=400)


# --- The completion report ----------------------------------------------------------------

def cost_fields(report):
    labels = dict(CostItem.choices)
    return [{"name": f"actual_{item}", "label": labels[item],
             "value": (report.actual_costs or {}).get(item)} for item in labels]


def kpi_fields(report, plan_kpis):
    labels = dict(Kpi.choices)
    return [{"name": f"kpi_{kpi}", "label": labels[kpi],
             "value": (report.kpis or {}).get(kpi, ""), "plan": plan_kpis.get(kpi)}
            for kpi in labels]


class ReportView(ProjectMixin, TemplateView):
    """The completion report: typed by the company (kept as typed), read by staff."""

    template_name = "settlement/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        report = services.report_of(project)
        member = self.request.user.has_perm("settlement.report_completion", project)
        editable = member and project.status == ProjectStatus.IN_PROGRESS
        plan_kpis = selectors.plan_kpis(project.agreement.application)
        context.update(
            project=project, report=report, editable=editable, member=member,
            costs=cost_fields(report), kpis=kpi_fields(report, plan_kpis),
            invoices=list(report.invoices.all()), payments=list(report.payments.all()),
            versions=list(report.versions.all()),
            invoice_form=kwargs.get("invoice_form") or InvoiceForm(),
            payment_form=kwargs.get("payment_form") or SupplierPaymentForm(prefix="payment"),
        )
        return context


class MemberReportView(ReportView):
    permission_required = "settlement.report_completion"
    http_method_names = ["post"]

    def back(self):
        return redirect("settlement:report", pk=self.get_project().pk)


def report_values(post) -> dict:
    """The amounts, KPI values and texts of a report form; an amount that cannot be read
    raises the money field's own message."""
    values = {}
    money = MoneyField(required=False, empty_value=0)
    for item in CostItem.values:
        name = f"actual_{item}"
        if name in post:
            values[name] = money.clean(post[name])
    for kpi in Kpi.values:
        name = f"kpi_{kpi}"
        if name in post:
            values[name] = post[name].strip()[:40]
    for name in REPORT_TEXTS:
        if name in post:
            values[name] = post[name][:5000]
    return values


class ReportSaveView(MemberReportView):
    """Save the draft: the whole form, or (HTMX autosave) the one field that changed; the
    answer is a small status with the new revision."""

    def post(self, request, *args, **kwargs):
        report = services.report_of(self.get_project())
        try:
            revision = int(request.POST.get("revision", ""))
        except ValueError:
            return HttpResponseBadRequest()
        context = {"report": report}
        status = 200
        try:
            values = report_values(request.POST)
            report = services.save_report(report, values=values, revision=revision,
                                          user=request.user)
            context.update(revision=report.revision, saved_at=timezone.now())
        except ValidationError as exc:
            context["error"] = exc.messages[0]
            status = 409 if getattr(exc, "code", "") in ("stale", "submitted") else 400
        if request.htmx:
            return render(request, "settlement/_autosave_status.html", context, status=status)
        if status == 200:
            messages.success(request, _("The report is saved."))
        else:
            messages.error(request, context["error"])
        return self.back()


class InvoiceAddView(MemberReportView):
    def post(self, request, *args, **kwargs):
        report = services.report_of(self.get_project())
        form = InvoiceForm(request.POST)
        if form.is_valid():
            try:
                services.add_invoice(report, form.cleaned_data, user=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The tax invoice is added."))
                return self.back()
        return self.render_to_response(self.get_context_data(invoice_form=form), status=400)


class InvoiceRemoveView(MemberReportView):
    def post(self, request, *args, **kwargs):
        invoice = get_object_or_404(TaxInvoice, report__project=self.get_project(),
                                    pk=self.kwargs["invoice"])
        try:
            services.remove_invoice(invoice, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return self.back()


class SupplierPaymentAddView(MemberReportView):
    def post(self, request, *args, **kwargs):
        report = services.report_of(self.get_project())
        form = SupplierPaymentForm(request.POST, request.FILES, prefix="payment")
        if form.is_valid():
            try:
                services.add_supplier_payment(
                    report, supplier_registration_number=form.cleaned_data[
                        "supplier_registration_number"],
                    paid_on=form.cleaned_data["paid_on"], amount=form.cleaned_data["amount"],
                    upload=form.cleaned_data["file"], content_type=form.mime,
                    user=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The proof of payment is added."))
                return self.back()
        return self.render_to_response(self.get_context_data(payment_form=form), status=400)


class ReportSubmitView(MemberReportView):
    def post(self, request, *args, **kwargs):
        report = services.report_of(self.get_project())
        try:
            version = services.submit_report(report, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self.back()
        messages.success(request, _("The completion report is submitted (version "
                                    "%(number)d).") % {"number": version.number})
        return redirect("settlement:project", pk=self.get_project().pk)


# --- Settlement ---------------------------------------------------------------------------

class SettlementView(ProjectMixin, TemplateView):
    """Staff's settlement of a reported project: the figures, the flags to clear, confirm."""

    permission_required = "settlement.manage_money"
    template_name = "settlement/settlement.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        settlement = Settlement.objects.filter(project=project).first()
        figures = selectors.project_figures(project)
        flags = list(Flag.objects.filter(invoice__report__project=project)
                     .select_related("invoice", "cleared_by").order_by("invoice_id", "rule"))
        bound = kwargs.get("clear_form")
        for flag in flags:
            flag.form = (bound if bound is not None and bound.prefix == f"flag{flag.pk}"
                         else ClearFlagForm(prefix=f"flag{flag.pk}"))
        context.update(project=project, settlement=settlement, figures=figures,
                       rows=[(row, settlement.settled[row.source] if settlement else 0)
                             for row in selectors.source_rows(project, figures, settlement)],
                       flags=flags,
                       open_flags=[f for f in flags if f.is_open],
                       assign_form=kwargs.get("assign_form") or AssignInspectorForm(
                           inspectors=selectors.inspectors_for(project)),
                       inspections=list(project.inspections.select_related("inspector__user")
                                        .prefetch_related("photos")),
                       costs=[(label, project.agreement.costs[item],
                               (settlement.recognised if settlement else {}).get(item, 0))
                              for item, label in CostItem.choices])
        return context

    def post(self, request, *args, **kwargs):
        project = self.get_project()
        action = request.POST.get("action")
        try:
            if action == "compute":
                services.preview_settlement(project, user=request.user)
            elif action == "confirm":
                settlement = get_object_or_404(Settlement, project=project)
                services.confirm_settlement(settlement, user=request.user)
                messages.success(request, _("The settlement is confirmed; its notice is being "
                                            "made."))
                return self.back()
            else:
                return HttpResponseBadRequest()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("settlement:settlement", pk=project.pk)


class AssignInspectorView(SettlementView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        project = self.get_project()
        form = AssignInspectorForm(request.POST, inspectors=selectors.inspectors_for(project))
        if form.is_valid():
            try:
                services.assign_inspector(project, form.cleaned_data["inspector"],
                                          user=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The inspector is assigned."))
                return redirect("settlement:settlement", pk=project.pk)
        return self.render_to_response(self.get_context_data(assign_form=form), status=400)


class ClearFlagView(SettlementView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        project = self.get_project()
        flag = get_object_or_404(Flag, invoice__report__project=project, pk=self.kwargs["flag"])
        form = ClearFlagForm(request.POST, prefix=f"flag{flag.pk}")
        if form.is_valid():
            services.clear_flag(flag, user=request.user, reason=form.cleaned_data["reason"],
                                exclude=form.cleaned_data["exclude"])
            messages.success(request, _("The flag is cleared."))
            return redirect("settlement:settlement", pk=project.pk)
        return self.render_to_response(self.get_context_data(clear_form=form), status=400)


class NoticeDownloadView(ProjectMixin, View):
    """The settlement notice, for the company's members and staff."""

    def get(self, request, *args, **kwargs):
        settlement = get_object_or_404(Settlement, project=self.get_project(),
                                       generated_at__isnull=False)
        if not settlement.file:
            raise Http404
        return FileResponse(settlement.file.open("rb"), as_attachment=True,
                            filename=f"settlement-{settlement.code}.pdf",
                            content_type="application/pdf")


class EvidenceDownloadView(LoginRequiredMixin, View):
    """An evidence file of a project — the deposit's bank record, a proof of payment to the
    supplier, an inspection photo — for the company's members, staff, the region's operator
    and the project's inspector; anyone else gets 404, whether the file exists or not."""

    model = None
    project_path = ""

    def get(self, request, pk, file_pk):
        stored = self.model.objects.filter(pk=file_pk, **{self.project_path: pk}).first()
        project = (selectors.project_queryset().filter(pk=pk).first()
                   if stored is not None else None)
        if project is None or not request.user.has_perm("settlement.view_evidence", project):
            raise Http404
        return FileResponse(stored.file.open("rb"), as_attachment=True,
                            filename=stored.original_name, content_type=stored.content_type)


class DepositFileView(EvidenceDownloadView):
    model = Deposit
    project_path = "project_id"


class SupplierPaymentFileView(EvidenceDownloadView):
    model = SupplierPayment
    project_path = "report__project_id"


class InspectionPhotoView(EvidenceDownloadView):
    model = InspectionPhoto
    project_path = "inspection__project_id"


# --- A call's projects and payment file ---------------------------------------------------

class CallListView(RulesRequiredMixin, TemplateView):
    """The calls of the user's that have projects, with how many each has."""

    permission_required = "settlement.follow_projects"
    template_name = "settlement/calls.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["calls"] = selectors.calls_with_projects(self.request.user)
        return context


class CallProjectsView(RulesRequiredMixin, TemplateView):
    """Every project of a call with its figures (one ledger query for the page)."""

    permission_required = "settlement.follow_projects"
    template_name = "settlement/call_projects.html"

    def get_call(self):
        return get_object_or_404(manageable_calls(self.request.user), pk=self.kwargs["call_id"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.get_call()
        projects = list(selectors.projects_for_user(self.request.user).filter(call=call)
                        .order_by("agreement__application__receipt_number", "pk"))
        figures = selectors.figures_of([p.pk for p in projects])
        context.update(call=call, projects=[(p, figures[p.pk]) for p in projects],
                       pending=list(selectors.pending_orders(call)))
        return context


class BudgetView(CallProjectsView):
    """The budget per line and per track: awarded, agreed, paid, settled and refunded, with a
    chart of each line's figures against the line."""

    template_name = "settlement/budget.html"

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        call = self.get_call()
        figures = selectors.budget(call)
        chart = []
        y = 4
        for line in figures["lines"]:
            bars = []
            for name, value, width in line.bars(line.amount):
                bars.append({"name": name, "value": value, "width": width, "y": y,
                             "text_y": y + 11})
                y += 16
            chart.append({"line": line, "bars": bars, "label_y": bars[0]["y"] + 11})
            y += 10
        context.update(call=call, budget=figures, chart=chart, chart_height=y)
        return context


class PaymentFileView(CallProjectsView):
    """The confirmed payments of a call for the finance office, as CSV or XLSX."""

    permission_required = "settlement.manage_money"

    def get(self, request, *args, **kwargs):
        call = self.get_call()
        kind = self.kwargs["format"]
        if kind not in ("csv", "xlsx"):
            raise Http404
        rows = exports.payment_rows(selectors.payment_file_rows(call))
        if kind == "xlsx":
            body, content_type = exports.as_xlsx(rows), exports.XLSX
        else:
            body, content_type = exports.as_csv(rows), "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="payments-{call.code}.{kind}"'
        return response


# --- Final inspection (the inspector's pages) ---------------------------------------------

class InspectionListView(RulesRequiredMixin, TemplateView):
    """The inspections assigned to the signed-in reviewer."""

    permission_required = "reviews.view_queue"
    template_name = "settlement/inspections.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["inspections"] = list(selectors.inspections_for_user(self.request.user))
        return context


class InspectionView(RulesRequiredMixin, TemplateView):
    """The inspector's checklist, findings, photos and decision."""

    permission_required = "settlement.inspect"
    template_name = "settlement/inspection.html"

    def get_inspection(self):
        if not hasattr(self, "_inspection"):
            self._inspection = get_object_or_404(
                selectors.inspections_for_user(self.request.user), pk=self.kwargs["pk"])
        return self._inspection

    def get_permission_object(self):
        return self.get_inspection()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.get_inspection()
        context.update(inspection=inspection, project=inspection.project,
                       is_open=inspection.status in services.OPEN_INSPECTIONS,
                       items=list(enumerate(inspection.checklist)),
                       photos=list(inspection.photos.all()),
                       form=kwargs.get("form") or InspectionForm(
                           initial={"findings": inspection.findings}),
                       conflict_form=kwargs.get("conflict_form") or ConflictForm())
        return context

    def post(self, request, *args, **kwargs):
        inspection = self.get_inspection()
        if request.POST.get("action") == "conflict":
            form = ConflictForm(request.POST)
            if form.is_valid():
                services.declare_inspection_conflict(inspection, user=request.user,
                                                     reason=form.cleaned_data["reason"])
                messages.success(request, _("The conflict is declared: staff will assign "
                                            "another inspector."))
                return redirect("settlement:inspections")
            return self.render_to_response(self.get_context_data(conflict_form=form),
                                           status=400)
        form = InspectionForm(request.POST, request.FILES)
        if form.is_valid():
            checklist = [{**item, "ok": request.POST.get(f"item-{index}") == "on",
                          "note": request.POST.get(f"note-{index}", "")[:500]}
                         for index, item in enumerate(inspection.checklist)]
            photos = ([(form.cleaned_data["photo"], form.photo_mime)]
                      if form.cleaned_data.get("photo") else [])
            try:
                services.record_inspection(inspection, user=request.user, checklist=checklist,
                                           findings=form.cleaned_data["findings"],
                                           decision=form.cleaned_data["decision"],
                                           photos=photos)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The inspection is recorded."))
                return redirect("settlement:inspection", pk=inspection.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- Follow-up ----------------------------------------------------------------------------

class FollowUpView(ProjectView):
    """The company files the follow-up report of a year that is due."""

    permission_required = "settlement.report_completion"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        project = self.get_project()
        try:
            year = int(request.POST.get("year", ""))
            level = int(request.POST["level"]) if request.POST.get("level") else None
        except ValueError:
            return HttpResponseBadRequest()
        kpis = {kpi: request.POST.get(f"kpi_{kpi}", "").strip()[:40] for kpi in Kpi.values
                if f"kpi_{kpi}" in request.POST}
        try:
            services.submit_follow_up(project, year, kpis=kpis,
                                      in_use=request.POST.get("in_use") == "yes", level=level,
                                      user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(request, _("The follow-up report is filed."))
        return self.back()


class OverdueFollowUpsView(RulesRequiredMixin, TemplateView):
    """Follow-up reports overdue (30 days after they were due), for staff and the region's
    operator."""

    permission_required = "settlement.follow_projects"
    template_name = "settlement/follow_ups_overdue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reports"] = list(selectors.overdue_follow_ups(
            self.request.user, selectors.korea_date(timezone.now())))
        return context


class CallKpiView(CallProjectsView):
    """The call's KPI achievement per project (baseline, target, each follow-up year), as a
    table or a CSV file."""

    template_name = "settlement/call_kpis.html"

    def get(self, request, *args, **kwargs):
        call = self.get_call()
        rows = selectors.call_kpi_rows(call)
        if request.GET.get("format") == "csv":
            body = exports.as_csv(exports.kpi_rows(
                rows, selectors.terms_of(call).follow_up_years))
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="kpis-{call.code}.csv"'
            return response
        return render(request, self.template_name, {"call": call, "rows": rows,
                                                    "kpi_labels": dict(Kpi.choices)})
