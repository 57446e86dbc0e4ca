"""Published results: staff publish a confirmed run's results; everyone reads them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView

from awards.models import AwardRun
from portal.mixins import RulesRequiredMixin
from programs.enums import FundingSource

from . import selectors, services
from .models import PublishedResult


class ManageResultsView(RulesRequiredMixin, ListView):
    permission_required = "results.publish"
    template_name = "results/manage.html"
    context_object_name = "runs"
    paginate_by = 50

    def get_queryset(self):
        return selectors.publishable_runs()


class PublishView(RulesRequiredMixin, View):
    permission_required = "results.publish"

    def post(self, request, pk):
        run = get_object_or_404(AwardRun, pk=pk)
        try:
            result = services.publish(run, request.user,
                                      show_company_names=request.POST.get("names") == "on")
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("results:manage")
        messages.success(request, _("The results are published."))
        return redirect("results:detail", pk=result.pk)


class ResultListView(ListView):
    template_name = "results/list.html"
    context_object_name = "results"
    paginate_by = 20

    def get_queryset(self):
        return selectors.public_results().order_by("-published_at", "-pk")


class ResultDetailView(DetailView):
    template_name = "results/detail.html"
    context_object_name = "result"

    def get_queryset(self):
        return selectors.public_results()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["source_labels"] = dict(FundingSource.choices)
        return context


class CallResultsFragmentView(View):
    """The announcement page's link to its call's published results (htmx; empty if none)."""

    def get(self, request, call_id):
        results = list(PublishedResult.objects.filter(call_id=call_id)
                       .order_by("-published_at", "-pk")[:5])
        return render(request, "results/_call_results.html", {"results": results})
