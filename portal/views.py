from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.module_loading import import_string
from django.views.generic import TemplateView

from programs.selectors import announcement_cards

from .pagecache import PublicPageCacheMixin, call_windows, seconds_until


class HomeView(PublicPageCacheMixin, TemplateView):
    template_name = "portal/home.html"

    def page_timeout(self):
        return seconds_until(call_windows(self.announcements))  # the calls' statuses

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["announcements"] = self.announcements = announcement_cards()[:6]
        return context


class DashboardView(LoginRequiredMixin, TemplateView):
    """One page for every role. Each app contributes sections through a function named in
    ``settings.DASHBOARD_SECTIONS``: ``sections(request)`` returns a list of
    ``{"template": ..., **context}`` dicts, empty when the user has nothing there."""

    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = []
        for path in settings.DASHBOARD_SECTIONS:
            sections.extend(import_string(path)(self.request))
        context["sections"] = sections
        return context
