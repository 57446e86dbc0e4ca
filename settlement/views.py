"""Pages of payments and settlement. Views call a service or a selector and render."""

from django.views.generic import TemplateView

from portal.mixins import RulesRequiredMixin


class ProjectView(RulesRequiredMixin, TemplateView):
    permission_required = "settlement.view_project"
    template_name = "settlement/project.html"
