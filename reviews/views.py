"""Pages of the reviews app: the reviewer's queue, conflict check and scoring page; the staff's
assignment, progress, score matrix and export pages.

Views look objects up in querysets scoped to the user (404 otherwise), check the rule, call one
service or selector and render. On a refused change they re-render the bound form with the
translated reason; nothing typed is lost.
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from applications.models import Application
from applications.selectors import cluster_of
from portal.mixins import RulesRequiredMixin
from portal.paging import WindowPaginator, window
from programs.models import EvaluationRound

from . import calibration, dashboard, exports, fairness, matrix, selectors, services
from .enums import ConflictStatus, ScoreBasis
from .forms import AssignForm, AutoAssignForm, ConflictForm, ReopenForm, ReplaceForm, ScoreForm
from .models import Assignment, ReviewerProfile

# --- The reviewer -------------------------------------------------------------------------


class ReviewerQueueView(RulesRequiredMixin, ListView):
    """The reviewer's queue, 50 rows a page (a committee member may have thousands)."""

    permission_required = "reviews.view_queue"
    template_name = "reviews/queue.html"
    context_object_name = "assignments"
    paginate_by = 50
    paginator_class = WindowPaginator

    def get_queryset(self):
        return selectors.reviewer_queue(self.request.user)

    def paginate_queryset(self, queryset, page_size):
        """The page's ids first — the queue sorted over the few columns its order needs —,
        then those rows with what they show: sorting a reviewer's 2,000 assignments joined
        to seven tables cost twice as much as both queries."""
        paginator, page, ids, is_paginated = super().paginate_queryset(
            queryset.values_list("pk", flat=True), page_size)
        rows = queryset.filter(pk__in=list(ids)).in_bulk()
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return paginator, page, page.object_list, is_paginated


class ReviewerAssignmentMixin(RulesRequiredMixin):
    """Looks the assignment up among the reviewer's own active ones (404 for any other)."""

    def get_assignment(self):
        if not hasattr(self, "_assignment"):
            try:
                self._assignment = selectors.assignment_for_reviewer(self.request.user,
                                                                     self.kwargs["pk"])
            except Assignment.DoesNotExist as exc:
                raise Http404 from exc
        return self._assignment

    def get_permission_object(self):
        return self.get_assignment()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = self.get_assignment()
        company, supplier, _numbers = selectors.parties(assignment.application)
        context.update(assignment=assignment, application=assignment.application,
                       company_name=company, supplier_name=supplier,
                       cluster=cluster_of(assignment.application))
        return context


class ConflictView(ReviewerAssignmentMixin, FormView):
    permission_required = "reviews.answer_conflict"
    template_name = "reviews/conflict.html"
    form_class = ConflictForm

    def get_initial(self):
        if self.get_assignment().conflict == ConflictStatus.NONE:
            return {"answer": ConflictForm.NO_CONFLICT}
        return {}

    def form_valid(self, form):
        assignment = self.get_assignment()
        try:
            if form.cleaned_data["answer"] == ConflictForm.CONFLICT:
                services.declare_conflict(assignment, actor=self.request.user,
                                          reason=form.cleaned_data["reason"])
            else:
                services.confirm_no_conflict(assignment, actor=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        if form.cleaned_data["answer"] == ConflictForm.CONFLICT:
            messages.success(self.request, _(
                "Your conflict of interest is recorded. The application is no longer shown to "
                "you; staff will assign another reviewer."))
            return redirect("reviews:queue")
        return redirect("reviews:score", pk=assignment.pk)


class ScoreView(ReviewerAssignmentMixin, FormView):
    permission_required = "reviews.score"
    template_name = "reviews/score.html"

    def dispatch(self, request, *args, **kwargs):
        # Not yet answered the conflict question: that page comes first.
        if request.user.is_authenticated:
            try:
                assignment = self.get_assignment()
            except Http404:
                assignment = None
            if (assignment is not None and assignment.conflict == ConflictStatus.PENDING
                    and rules.has_perm("reviews.answer_conflict", request.user, assignment)):
                return redirect("reviews:conflict", pk=assignment.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        assignment = self.get_assignment()
        criteria = assignment.round.criteria.order_by("order", "pk")
        scores = {score.criterion_id: score for score in assignment.scores.all()}
        return ScoreForm(criteria=criteria, scores=scores,
                         disabled=assignment.is_submitted and self.request.method != "POST",
                         **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = self.get_assignment()
        version = selectors.latest_plan_version(assignment.application)
        context.update(
            version=version, plan=selectors.plan_for_review(version),
            documents=selectors.review_documents(assignment.application, version),
            cluster_documents=selectors.review_cluster_documents(version),
            total=sum((s.points for s in assignment.scores.all() if s.points is not None), 0),
        )
        return context

    def form_valid(self, form):
        submit = "submit" in self.request.POST
        if submit and not form.require_all():
            return self.form_invalid(form)
        try:
            services.save_review(self.get_assignment(), form.entries(), actor=self.request.user,
                                 submit=submit)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        if submit:
            messages.success(self.request, _("Your review is submitted. Thank you."))
            return redirect("reviews:queue")
        messages.success(self.request, _("Your draft is saved."))
        return redirect("reviews:score", pk=self.get_assignment().pk)

    def form_invalid(self, form):
        messages.error(self.request, _("Nothing was saved: correct the marked fields."))
        return super().form_invalid(form)


class ReviewDocumentView(ReviewerAssignmentMixin, View):
    permission_required = "reviews.score"

    def get(self, request, pk, document_pk):
        assignment = self.get_assignment()
        version = selectors.latest_plan_version(assignment.application)
        document = get_object_or_404(selectors.review_documents(assignment.application, version),
                                     pk=document_pk)
        return FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.original_name, content_type=document.content_type)


class ReviewClusterDocumentView(ReviewerAssignmentMixin, View):
    """A file of the cluster under review (shared, or a member's priority evidence) that the
    reviewed version froze; 404 for anything else and for a reviewer who may not score."""

    permission_required = "reviews.score"

    def get(self, request, pk, document_pk):
        version = selectors.latest_plan_version(self.get_assignment().application)
        document = get_object_or_404(selectors.review_cluster_documents(version),
                                     pk=document_pk)
        return FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.original_name, content_type=document.content_type)


# --- Staff --------------------------------------------------------------------------------


class ManageRoundsView(RulesRequiredMixin, ListView):
    permission_required = "reviews.manage"
    template_name = "reviews/manage_rounds.html"
    context_object_name = "rounds"

    def get_queryset(self):
        return dashboard.rounds_with_progress()


class StaffRoundMixin(RulesRequiredMixin):
    """Staff only (404 for anyone else, before any lookup); the round from the URL."""

    permission_required = "reviews.manage"
    round_kwarg = "round_pk"
    round_related = ("call",)

    def get_round(self):
        if not hasattr(self, "_round"):
            self._round = get_object_or_404(
                EvaluationRound.objects.select_related(*self.round_related),
                pk=self.kwargs[self.round_kwarg])
        return self._round

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evaluation_round"] = self.get_round()
        return context


def round_applications_page(evaluation_round):
    """``selectors.round_applications`` with only what the round's page shows of each
    assignment — its state and its reviewer's name —, not every column of the assignment,
    the reviewer and the user (about 1,800 date-times parsed for a page of 50 applications)
    nor the score counts the application's own page shows."""
    reviewers = (Assignment.objects.filter(round=evaluation_round)
                 .select_related("reviewer__user")
                 .only("application_id", "conflict", "submitted_at", "released_at",
                       "reviewer__user__full_name", "reviewer__user__email",
                       "reviewer__user__username")
                 .order_by("released_at", "reviewer__user__full_name", "pk"))
    return selectors.round_applications(evaluation_round).prefetch_related(None).prefetch_related(
        Prefetch("review_assignments", queryset=reviewers, to_attr="round_assignments"))


class RoundAssignmentsView(StaffRoundMixin, FormView):
    """Assign reviewers automatically; see the applications' reviewers, the conflicts to
    replace and each reviewer's progress — each list a page at a time (a round may have
    thousands of applications)."""

    template_name = "reviews/round_assignments.html"
    form_class = AutoAssignForm
    applications_per_page = 50
    conflicts_per_page = 50
    reviewers_per_page = 100
    round_related = ("call", "revision", "tally")  # the reviewers' progress: its tally

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation_round = self.get_round()
        applications = window(round_applications_page(evaluation_round), self.request,
                              self.applications_per_page)
        conflicts = window(selectors.needing_replacement(evaluation_round), self.request,
                           self.conflicts_per_page, parameter="conflicts")
        tally = selectors.round_tallies([evaluation_round])[evaluation_round.pk]
        reviewers = window(selectors.reviewer_progress(evaluation_round, tally), self.request,
                           self.reviewers_per_page, parameter="reviewers")
        selectors.with_progress(reviewers.object_list, tally)
        context.update(applications=applications.object_list, applications_page=applications,
                       conflicts=conflicts.object_list, conflicts_page=conflicts,
                       reviewers=reviewers.object_list, reviewers_page=reviewers)
        return context

    def form_valid(self, form):
        try:
            result = services.auto_assign(
                self.get_round(), per_application=form.cleaned_data["per_application"],
                actor=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, ngettext(
            "%(count)d reviewer was assigned.", "%(count)d reviewers were assigned.",
            len(result.created)) % {"count": len(result.created)})
        if result.short:
            messages.warning(self.request, ngettext(
                "%(count)d application did not get enough reviewers without a conflict: add "
                "reviewers to the committee, then assign again.",
                "%(count)d applications did not get enough reviewers without a conflict: add "
                "reviewers to the committee, then assign again.",
                len(result.short)) % {"count": len(result.short)})
        return redirect("reviews:round", round_pk=self.get_round().pk)


class StaffApplicationMixin(StaffRoundMixin):
    def get_application(self):
        if not hasattr(self, "_application"):
            self._application = get_object_or_404(
                Application.objects.select_related("company", "track", "call", "cluster")
                .filter(call_id=self.get_round().call_id), pk=self.kwargs["pk"])
        return self._application


class ApplicationAssignmentsView(StaffApplicationMixin, FormView):
    """One application's reviewers with their audit; assign one by hand; mark it scored."""

    template_name = "reviews/application_assignments.html"
    form_class = AssignForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["reviewers"] = (ReviewerProfile.objects.filter(active=True)
                               .select_related("user").order_by("user__full_name", "pk"))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation_round, application = self.get_round(), self.get_application()
        context.update(
            application=application,
            assignments=selectors.round_assignments(evaluation_round)
            .filter(application=application).prefetch_related("events__actor"),
            incomplete_reason=services.scoring_incomplete_reason(evaluation_round,
                                                                 application),
        )
        return context

    def form_valid(self, form):
        try:
            services.assign_reviewer(self.get_round(), self.get_application(),
                                     form.cleaned_data["reviewer"], actor=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reviewer", message)
            return self.form_invalid(form)
        messages.success(self.request, _("%(reviewer)s is assigned.")
                         % {"reviewer": form.cleaned_data["reviewer"]})
        return redirect("reviews:application", round_pk=self.get_round().pk,
                        pk=self.get_application().pk)


class MarkScoredView(StaffApplicationMixin, View):
    def post(self, request, round_pk, pk):
        try:
            services.mark_scored(self.get_round(), self.get_application(), actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The application is marked scored."))
        return redirect("reviews:application", round_pk=round_pk, pk=pk)


class MarkRoundScoredView(StaffRoundMixin, View):
    def post(self, request, round_pk):
        done = services.mark_round_scored(self.get_round(), actor=request.user)
        messages.success(request, ngettext(
            "%(count)d application is marked scored.", "%(count)d applications are marked "
            "scored.", len(done)) % {"count": len(done)})
        return redirect("reviews:matrix", round_pk=round_pk)


class StaffAssignmentMixin(RulesRequiredMixin):
    permission_required = "reviews.manage"

    def get_assignment(self):
        if not hasattr(self, "_assignment"):
            self._assignment = get_object_or_404(
                Assignment.objects.select_related("round", "round__call", "reviewer__user",
                                                  "application", "application__company"),
                pk=self.kwargs["pk"])
        return self._assignment

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = self.get_assignment()
        context.update(assignment=assignment, evaluation_round=assignment.round,
                       application=assignment.application)
        return context

    def back(self):
        assignment = self.get_assignment()
        return redirect("reviews:application", round_pk=assignment.round_id,
                        pk=assignment.application_id)


class ReplaceView(StaffAssignmentMixin, FormView):
    template_name = "reviews/replace.html"
    form_class = ReplaceForm

    def candidates(self):
        if not hasattr(self, "_candidates"):
            self._candidates = selectors.replacement_candidates(self.get_assignment())
        return self._candidates

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["reviewers"] = self.candidates()[0]
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(left_out=self.candidates()[1], **kwargs)

    def form_valid(self, form):
        try:
            result = services.replace_assignment(
                self.get_assignment(), actor=self.request.user,
                reviewer=form.cleaned_data["reviewer"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        if result.created:
            messages.success(self.request, _("%(old)s is released; %(new)s is assigned.") % {
                "old": self.get_assignment().reviewer,
                "new": ", ".join(str(a.reviewer) for a in result.created)})
        else:
            messages.warning(self.request, _(
                "%(old)s is released, but no other committee member without a conflict is "
                "available: assign a reviewer by hand.") % {"old": self.get_assignment().reviewer})
        return self.back()


class ReopenView(StaffAssignmentMixin, FormView):
    template_name = "reviews/reopen.html"
    form_class = ReopenForm

    def form_valid(self, form):
        try:
            services.reopen_review(self.get_assignment(), actor=self.request.user,
                                   reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("The review is reopened; the reviewer can change it "
                                         "and submit it again."))
        return self.back()


class MatrixView(StaffRoundMixin, TemplateView):
    """Applications × reviewers with progress, spread and the ranking within each track, 50
    applications a page, sorted and filtered by the database (``matrix.ranked_page``)."""

    template_name = "reviews/matrix.html"
    per_page = 50
    round_related = ("call", "revision", "tally")  # the round's progress: its tally
    ORDERS = {"rank": gettext_lazy("Rank within the track"),
              "score": gettext_lazy("Final score"),
              "receipt": gettext_lazy("Receipt number"), "company": gettext_lazy("Company")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation_round = self.get_round()
        query = self.request.GET
        order = query.get("order") if query.get("order") in self.ORDERS else "rank"
        tracks = list(evaluation_round.call.tracks.order_by("order", "pk"))
        track = next((t for t in tracks if str(t.pk) == query.get("track", "")), None)
        search = query.get("q", "").strip()[:100]
        page = query.get("page", "1")
        page_of_matrix = matrix.score_matrix_page(
            evaluation_round, order=order, track_id=track.pk if track else None,
            search=search, page=int(page) if page.isdigit() else 1, per_page=self.per_page)
        kept = query.copy()
        kept.pop("page", None)
        stdev_at, range_at = calibration.disagreement_thresholds()
        context.update(matrix=page_of_matrix, orders=self.ORDERS.items(), order=order,
                       tracks=tracks, track=track, search=search,
                       query_string=kept.urlencode(), disagreement_stdev=stdev_at,
                       disagreement_range=range_at)
        return context


class ExportView(StaffRoundMixin, View):
    """The whole matrix of the round as CSV or XLSX, streamed: the rows are written as the
    applications are read, 500 at a time (``exports.csv_stream``, ``exports.xlsx_file``)."""

    FORMATS = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }

    def get(self, request, round_pk, fmt):
        if fmt not in self.FORMATS:
            raise Http404
        evaluation_round = self.get_round()
        if fmt == "csv":
            response = StreamingHttpResponse(exports.csv_stream(evaluation_round),
                                             content_type=self.FORMATS[fmt])
        else:
            response = FileResponse(exports.xlsx_file(evaluation_round),
                                    content_type=self.FORMATS[fmt])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"scores-{evaluation_round.call.code}-{evaluation_round.kind}-{stamp}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# --- Staff: fairness advice (issue 14) -----------------------------------------------------

class LeniencyView(StaffRoundMixin, TemplateView):
    """Each reviewer's leniency in the round beside the committee's (staff only)."""

    template_name = "reviews/leniency.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation_round = self.get_round()
        committee, reviewers = calibration.round_leniency(evaluation_round)
        context.update(committee=committee, reviewers=reviewers,
                       minimum=fairness.CALIBRATION_MIN_REVIEWS,
                       basis=selectors.score_basis(evaluation_round.call),
                       bases=ScoreBasis.choices)
        return context


class ScoreBasisView(StaffRoundMixin, View):
    """Choose which score allocates the call's awards (before its first review)."""

    def post(self, request, round_pk):
        evaluation_round = self.get_round()
        try:
            scoring = services.set_score_basis(evaluation_round.call,
                                               request.POST.get("basis", ""),
                                               actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Score that allocates the awards of %(call)s: "
                                        "%(basis)s.")
                             % {"call": evaluation_round.call.code,
                                "basis": scoring.get_basis_display()})
        return redirect("reviews:leniency", round_pk=round_pk)


class ExtraReviewerView(StaffApplicationMixin, View):
    """One more reviewer for an application flagged for disagreement."""

    def post(self, request, round_pk, pk):
        application = self.get_application()
        try:
            result = services.request_extra_reviewer(self.get_round(), application,
                                                     actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(reviewer)s is assigned to %(application)s as an "
                                        "extra reviewer.")
                             % {"reviewer": result.created[0].reviewer,
                                "application": application})
        return redirect("reviews:matrix", round_pk=round_pk)
