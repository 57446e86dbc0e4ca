from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from programs.selectors import public_announcements


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["announcements"] = public_announcements()[:6]
        return context


class DashboardView(LoginRequiredMixin, TemplateView):
    """One page per role; each later part of the portal adds its section."""

    template_name = "portal/dashboard.html"
