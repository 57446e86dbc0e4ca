"""The company profile, its members and invitations."""

import rules
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from portal.mixins import RulesRequiredMixin

from . import services
from .forms import CompanyForm, InvitationForm
from .models import Invitation
from .selectors import company_of


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


class CompanyMixin(RulesRequiredMixin):
    """The signed-in user's own company (there is no company id in any URL)."""

    permission_required = "companies.view_company"

    def get_company(self):
        if not hasattr(self, "_company"):
            self._company = company_of(self.request.user)
        return self._company

    def get_permission_object(self):
        return self.get_company()

    def dispatch(self, request, *args, **kwargs):
        if (request.user.is_authenticated and company_of(request.user) is None
                and rules.has_perm("companies.register_company", request.user)):
            return redirect("companies:company_create")
        return super().dispatch(request, *args, **kwargs)


class CompanyDetailView(CompanyMixin, TemplateView):
    template_name = "companies/company_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company = self.get_company()
        context["company"] = company
        context["members"] = company.memberships.select_related("user").order_by("joined_at")
        context["invitations"] = company.invitations.filter(accepted_at__isnull=True)
        context.setdefault("invite_form", InvitationForm())
        return context


class CompanyCreateView(RulesRequiredMixin, FormView):
    permission_required = "companies.register_company"
    template_name = "companies/company_form.html"
    form_class = CompanyForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and company_of(request.user) is not None:
            return redirect("companies:company")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.register_company(self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("registration_number" if error.code == "registered" else None,
                           error)
            return self.form_invalid(form)
        messages.success(self.request, _("The company is registered. You can now apply."))
        return redirect(safe_next(self.request, "companies:company"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = safe_next(self.request, "")
        return context


class CompanyUpdateView(CompanyMixin, FormView):
    permission_required = "companies.change_company"
    template_name = "companies/company_form.html"
    form_class = CompanyForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_company()}

    def form_valid(self, form):
        fields = {name: value for name, value in form.cleaned_data.items()
                  if name != "registration_number"}
        services.update_company(self.get_company(), **fields)
        messages.success(self.request, _("The company profile is saved."))
        return redirect("companies:company")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "company": self.get_company()}


class InviteView(CompanyMixin, FormView):
    permission_required = "companies.invite_member"
    form_class = InvitationForm
    template_name = "companies/company_detail.html"
    http_method_names = ["post"]

    def form_valid(self, form):
        try:
            invitation = services.invite_member(self.get_company(), form.cleaned_data["email"],
                                                invited_by=self.request.user)
        except ValidationError as error:
            form.add_error("email", error)
            return self.form_invalid(form)
        messages.success(self.request, _("An invitation was sent to %(email)s.")
                         % {"email": invitation.email})
        return redirect("companies:company")

    def form_invalid(self, form):
        view = CompanyDetailView(request=self.request, kwargs={})
        view._company = self.get_company()
        return self.render_to_response(view.get_context_data(invite_form=form))


class InvitationAcceptView(TemplateView):
    """The link of an invitation email. The token is the secret; the account's email must be
    the invited one (checked by ``services.accept_invitation``). Signed out, the page names the
    inviting company and leads to sign-up or sign-in, each returning here."""

    template_name = "companies/invitation_accept.html"

    def get_invitation(self):
        return get_object_or_404(Invitation.objects.select_related("company", "invited_by"),
                                 token=self.kwargs["token"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.get_invitation()
        return context

    def post(self, request, token):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        invitation = self.get_invitation()
        try:
            services.accept_invitation(invitation, request.user)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, _("You are now a member of %(company)s.")
                         % {"company": invitation.company.name})
        return redirect("dashboard")
