from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from .forms import ConsentForm
from .middleware import SESSION_KEY
from .services import record_consent


class ConsentView(LoginRequiredMixin, FormView):
    """The current consent texts, asked again of a user who agreed to an earlier version."""

    form_class = ConsentForm
    template_name = "accounts/consent.html"

    def next_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()},
                                           require_https=self.request.is_secure()):
            return target
        return reverse("dashboard")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)

    def form_valid(self, form):
        if form.consent_version is not None:
            record_consent(self.request.user, form.consent_version,
                           marketing=form.cleaned_data["consent_marketing"])
        self.request.session.pop(SESSION_KEY, None)
        messages.success(self.request, _("Thank you: your consent has been recorded."))
        return redirect(self.next_url())
