"""Pages of a cluster application. Each view looks the cluster up among those the user may
see (a company outside the cluster gets 404), calls a service or a selector, and renders."""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from companies.models import Company, Supplier
from companies.selectors import company_id_of, company_of
from portal import numbers
from portal.mixins import RulesRequiredMixin
from programs.enums import CallStatus, FundingSource
from programs.money import TrackRules, compute_support, minimum_cash

from . import invitations, services, submission
from .enums import ClusterRole, ClusterStatus
from .forms import (
    CompanyRegistrationForm,
    InviteForm,
    MemberPartForm,
    MoneyField,
    OpenClusterForm,
    ReasonForm,
    SharedPartForm,
)
from .models import Cluster, ClusterDocument, ClusterInvitation, ClusterMember
from .selectors import (
    cluster_dashboard,
    clusters_led_by,
    clusters_visible_to,
    document_for_download,
    documents_visible_to,
    invitations_for,
    members_for_display,
    open_cluster_calls,
    open_invitations,
    own_member,
)


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: by field where the form has that field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Dashboard ------------------------------------------------------------------------------

def dashboard_sections(request):
    """The cluster section of the dashboard: the user's clusters (lead or member) with their
    status, invitations waiting for the user, and the suppliers the user registered."""
    user = request.user
    if user.is_staff or user.is_operator:
        return []
    rows = cluster_dashboard(user)
    invitations = list(invitations_for(user))
    suppliers = list(Supplier.objects.filter(created_by=user).order_by("name", "pk"))
    has_company = company_id_of(user) is not None
    in_cluster_calls = {row.cluster.call_id for row in rows}
    open_calls = ([call for call in open_cluster_calls() if call.pk not in in_cluster_calls]
                  if has_company else [])
    if not (rows or invitations or suppliers or open_calls):
        return []
    return [{"template": "clusters/_dashboard.html", "rows": rows,
             "invitations": invitations, "suppliers": suppliers, "open_calls": open_calls}]


# --- Opening a cluster ----------------------------------------------------------------------

class ClusterOpenView(RulesRequiredMixin, FormView):
    permission_required = "clusters.open_cluster"
    template_name = "clusters/open.html"
    form_class = OpenClusterForm

    def get_initial(self):
        """The call of the announcement whose Apply button led here (``?call=``), else the
        first open cluster call."""
        initial = super().get_initial()
        calls = open_cluster_calls()
        wanted = self.request.GET.get("call", "")
        call = ((calls.filter(pk=wanted).first() if numbers.is_ascii_digits(wanted) else None)
                or calls.first())
        if call is not None:
            initial["call"] = call
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = company_of(self.request.user)
        context["has_open_call"] = open_cluster_calls().exists()
        context["current_clusters"] = list(clusters_visible_to(self.request.user).filter(
            call__in=open_cluster_calls()))
        return context

    def form_valid(self, form):
        try:
            cluster = services.open_cluster(user=self.request.user,
                                            call=form.cleaned_data["call"],
                                            **form.shared_data())
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        if form.cleaned_data.get("document"):
            services.add_shared_document(cluster, user=self.request.user,
                                         upload=form.cleaned_data["document"], mime=form.mime)
        messages.success(self.request, _(
            "The cluster is open. Invite the member companies: a cluster needs at least "
            "%(min)d companies, the lead included.") % {"min": cluster.track.min_members or 1})
        return redirect("clusters:detail", pk=cluster.pk)


# --- A cluster and its pages ----------------------------------------------------------------

class ClusterMixin(RulesRequiredMixin):
    """Looks the cluster up among those the user may see (404 for any other)."""

    permission_required = "clusters.view_cluster"
    lead_only = False

    def get_cluster(self) -> Cluster:
        if not hasattr(self, "_cluster"):
            queryset = (clusters_led_by(self.request.user) if self.lead_only
                        else clusters_visible_to(self.request.user))
            self._cluster = get_object_or_404(queryset, pk=self.kwargs["pk"])
        return self._cluster

    def get_permission_object(self):
        return self.get_cluster()


class ClusterPageMixin(ClusterMixin):
    """Everything the cluster page shows: the shared part, the user's own part, the members
    (names and progress, never another member's figures), and what the user may do."""

    def cluster_context(self, **extra):
        user = self.request.user
        cluster = self.get_cluster()
        member = own_member(cluster, user)
        call = cluster.call
        is_lead = member is not None and member.role == ClusterRole.LEAD
        members = list(members_for_display(cluster))
        closed = call.status() == CallStatus.CLOSED
        editable = cluster.status == ClusterStatus.DRAFT and call.status() == CallStatus.OPEN
        rules_ = TrackRules.for_track(cluster.track)
        support = (compute_support(rules_, member.cost)
                   if member is not None and member.cost else None)
        context = {
            "cluster": cluster,
            "call": call,
            "member": member,
            "is_lead": is_lead,
            "is_staff_view": user.is_staff and member is None,
            "members": members,
            "min_members": cluster.track.min_members or 1,
            "complete_count": sum(1 for m in members if m.part_complete),
            "closed": closed,
            "editable": editable,
            "documents": list(documents_visible_to(user, cluster)),
            "invitations": list(open_invitations(cluster)) if is_lead else [],
            "support": support,
            "support_lines": ([(FundingSource(source).label, amount)
                               for source, amount in support.shares.items()]
                              if support else []),
            "minimum_cash": (minimum_cash(support.contribution, call.min_cash_share)
                             if support else None),
            "can_leave": member is not None and rules.has_perm("clusters.leave_cluster",
                                                                user, member),
            "submission_problems": (submission.submission_problems(cluster, members)
                                    if is_lead and editable else []),
            "application": cluster.application,
        }
        if context["is_staff_view"]:
            context["staff_parts"] = [(m, compute_support(rules_, m.cost) if m.cost else None)
                                      for m in members]
        context.update(extra)
        return context


class ClusterDetailView(ClusterPageMixin, TemplateView):
    template_name = "clusters/detail.html"

    def get_context_data(self, **kwargs):
        return self.cluster_context(**super().get_context_data(**kwargs))


class ClusterEditView(ClusterPageMixin, FormView):
    permission_required = "clusters.manage_cluster"
    lead_only = True
    template_name = "clusters/edit.html"
    form_class = SharedPartForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_cluster()
        return kwargs

    def get_context_data(self, **kwargs):
        return self.cluster_context(**super().get_context_data(**kwargs))

    def form_valid(self, form):
        cluster = Cluster.objects.get(pk=self.get_cluster().pk)
        try:
            services.update_shared_part(cluster, user=self.request.user, **form.shared_data())
            if form.cleaned_data.get("document"):
                services.add_shared_document(cluster, user=self.request.user,
                                             upload=form.cleaned_data["document"],
                                             mime=form.mime)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The shared part is saved."))
        return redirect("clusters:detail", pk=cluster.pk)


class ClusterInviteView(ClusterPageMixin, FormView):
    permission_required = "clusters.manage_cluster"
    lead_only = True
    template_name = "clusters/invite.html"
    form_class = InviteForm

    def get_context_data(self, **kwargs):
        return self.cluster_context(**super().get_context_data(**kwargs))

    def form_valid(self, form):
        try:
            invitation = invitations.invite_member(
                self.get_cluster(), user=self.request.user,
                registration_number=form.cleaned_data["registration_number"],
                email=form.cleaned_data["email"])
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The invitation was sent to %(email)s.")
                         % {"email": invitation.email})
        return redirect("clusters:invite", pk=self.get_cluster().pk)


class InvitationCancelView(ClusterMixin, View):
    permission_required = "clusters.manage_cluster"
    lead_only = True

    def post(self, request, pk, invitation_pk):
        invitation = get_object_or_404(open_invitations(self.get_cluster()), pk=invitation_pk)
        try:
            invitations.cancel_invitation(invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The invitation was cancelled."))
        return redirect("clusters:invite", pk=pk)


class OwnMemberMixin(ClusterPageMixin):
    """Pages about the user's company's own membership of the cluster (404 for others)."""

    def get_member(self) -> ClusterMember:
        if not hasattr(self, "_member"):
            member = own_member(self.get_cluster(), self.request.user)
            if member is None:
                raise Http404
            self._member = member
        return self._member

    def get_permission_object(self):
        return self.get_member()


class MemberPartView(OwnMemberMixin, FormView):
    """The user's company's own part of the cluster."""

    permission_required = "clusters.edit_cluster_part"
    template_name = "clusters/part.html"
    form_class = MemberPartForm


    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["member"] = self.get_member()
        return kwargs

    def get_initial(self):
        member = self.get_member()
        return {"cost": member.cost, "contribution_cash": member.contribution_cash,
                "contribution_in_kind": member.contribution_in_kind,
                "priority_claim": member.priority_claim,
                "priority_evidence": member.priority_evidence}

    def get_context_data(self, **kwargs):
        return self.cluster_context(**super().get_context_data(**kwargs))

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.save_member_part(
                self.get_member(), user=self.request.user, cost=data["cost"],
                contribution_cash=data["contribution_cash"],
                contribution_in_kind=data["contribution_in_kind"],
                priority_claim=data["priority_claim"],
                priority_evidence=data["priority_evidence"],
                evidence=data.get("evidence"), evidence_mime=form.mime)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your company's part is saved and complete."))
        return redirect("clusters:detail", pk=self.get_cluster().pk)


class MemberPartPreviewView(MemberPartView):
    """The support for the cost being typed, computed by the server (HTMX partial)."""

    template_name = "clusters/_support_preview.html"

    def get(self, request, *args, **kwargs):
        field = MoneyField(required=False)
        context = {"preview": None, "preview_error": "", "minimum_cash": None}
        try:
            cost = field.clean(request.GET.get("cost", ""))
        except ValidationError as error:
            context["preview_error"] = " ".join(error.messages)
            cost = None
        if cost is not None:
            member = self.get_member()
            problem = services.part_problems(
                rules=TrackRules.for_track(member.cluster.track),
                min_cash_share=member.cluster.call.min_cash_share, cost=cost, cash=0,
                in_kind=0).get("cost")
            if problem:
                context["preview_error"] = problem
            else:
                support = compute_support(TrackRules.for_track(member.cluster.track), cost)
                context["preview"] = support
                context["minimum_cash"] = minimum_cash(
                    support.contribution, member.cluster.call.min_cash_share)
        return render(request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        raise Http404


class ClusterSubmitView(ClusterPageMixin, View):
    permission_required = "clusters.manage_cluster"
    lead_only = True

    def post(self, request, pk):
        try:
            cluster = submission.submit_cluster(self.get_cluster(), user=request.user)
        except ValidationError as error:
            return render(request, "clusters/detail.html",
                          self.cluster_context(submit_errors=error.messages))
        messages.success(request, _("The cluster is submitted. Receipt number: %(receipt)s.")
                         % {"receipt": cluster.application.receipt_number})
        return redirect("clusters:detail", pk=pk)


class WithdrawSubmissionView(ClusterPageMixin, FormView):
    permission_required = "clusters.manage_cluster"
    lead_only = True
    template_name = "clusters/withdraw_submission.html"
    form_class = ReasonForm

    def get_context_data(self, **kwargs):
        return self.cluster_context(**super().get_context_data(**kwargs))

    def form_valid(self, form):
        try:
            submission.withdraw_submission(self.get_cluster(), user=self.request.user,
                                         reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _(
            "The submission is withdrawn and the cluster is a draft again. Submit it again "
            "before the deadline."))
        return redirect("clusters:detail", pk=self.get_cluster().pk)


class LeaveClusterView(OwnMemberMixin, FormView):
    permission_required = "clusters.leave_cluster"
    template_name = "clusters/leave.html"
    form_class = ReasonForm


    def get_context_data(self, **kwargs):
        return self.cluster_context(**super().get_context_data(**kwargs))

    def form_valid(self, form):
        try:
            submission.withdraw_member(self.get_member(), user=self.request.user,
                                     reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your company has left the cluster “%(cluster)s”.")
                         % {"cluster": self.get_cluster().name})
        return redirect("dashboard")


class ClusterDocumentView(ClusterMixin, View):
    """A cluster's file, as an attachment, for those who may see it (404 for anyone else)."""

    def get(self, request, pk, document_pk):
        try:
            document = document_for_download(request.user, pk, document_pk)
        except (Cluster.DoesNotExist, ClusterDocument.DoesNotExist) as exc:
            raise Http404 from exc
        return FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.original_name,
                            content_type=document.content_type)


# --- Invitations ----------------------------------------------------------------------------

class InvitationView(RulesRequiredMixin, TemplateView):
    """The link of an invitation email: accept it (registering the company first when the
    account acts for none and the company is not on the portal yet)."""

    permission_required = "clusters.accept_cluster_invitation"
    template_name = "clusters/invitation.html"

    def get_invitation(self) -> ClusterInvitation:
        if not hasattr(self, "_invitation"):
            self._invitation = get_object_or_404(
                ClusterInvitation.objects.select_related("cluster__lead_company",
                                                         "cluster__call", "cluster__supplier"),
                token=self.kwargs["token"])
        return self._invitation

    def dispatch(self, request, *args, **kwargs):
        # Signed out: the page names the lead company, the cluster and the call, and leads to
        # sign-up or sign-in, each returning here (the token in the link is the secret).
        if not request.user.is_authenticated and request.method in ("GET", "HEAD"):
            invitation = self.get_invitation()
            return render(request, "clusters/invitation_signed_out.html", {
                "invitation": invitation, "cluster": invitation.cluster,
                "closed": invitation.accepted_at is not None
                or invitation.cancelled_at is not None})
        return super().dispatch(request, *args, **kwargs)

    def needs_company(self) -> bool:
        return company_of(self.request.user) is None and not Company.objects.filter(
            registration_number=self.get_invitation().registration_number).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitation = self.get_invitation()
        context["invitation"] = invitation
        context["cluster"] = invitation.cluster
        context["problem"] = invitations.invitation_problem(invitation, self.request.user)
        context["needs_company"] = self.needs_company()
        if context["needs_company"] and "company_form" not in context:
            context["company_form"] = CompanyRegistrationForm()
        return context

    def post(self, request, token):
        invitation = self.get_invitation()
        try:
            if self.needs_company():
                form = CompanyRegistrationForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(company_form=form))
                try:
                    member = invitations.register_company_and_accept(
                        invitation, Company(**form.cleaned_data), user=request.user)
                except ValidationError as error:
                    add_errors(form, error)
                    return self.render_to_response(self.get_context_data(company_form=form))
            else:
                member = invitations.accept_invitation(invitation, user=request.user)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, _(
            "Your company has joined the cluster “%(cluster)s”. Complete your company's part.")
            % {"cluster": member.cluster.name})
        return redirect("clusters:part", pk=member.cluster_id)
