"""Saving the announcement list's filters as an alert, listing and deleting alerts, and the
one-click unsubscribe page (no login: the link's signed token names the alert)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import ListView

from . import services
from .forms import SavedSearchForm
from .models import SavedSearch
from .tokens import search_id


class SavedSearchListView(LoginRequiredMixin, ListView):
    template_name = "alerts/list.html"
    context_object_name = "searches"
    paginate_by = 50

    def get_queryset(self):
        return SavedSearch.objects.filter(user=self.request.user).order_by("-created_at", "-pk")


class SavedSearchCreateView(LoginRequiredMixin, View):
    template_name = "alerts/create.html"

    def get(self, request):
        return self.show(SavedSearchForm(filters=request.GET))

    def post(self, request):
        form = SavedSearchForm(request.POST)
        if not form.is_valid():
            return self.show(form, status=400)
        services.save_search(request.user, name=form.cleaned_data["name"],
                             filters=form.filters, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("The alert is saved: you will receive an email when a "
                                    "matching announcement is published."))
        return redirect("alerts:list")

    def show(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)


class SavedSearchDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        search = get_object_or_404(SavedSearch.objects.filter(user=request.user), pk=pk)
        services.delete_search(search)
        messages.success(request, _("The alert is deleted."))
        return redirect("alerts:list")


@method_decorator(csrf_exempt, name="dispatch")  # RFC 8058: mail clients POST without a form
class UnsubscribeView(View):
    """GET shows what the link stops and one button; POST stops it (a link scanner that opens
    the link changes nothing). A tampered link is refused; a replayed one says it is done."""

    template_name = "alerts/unsubscribe.html"

    def lookup(self, token):
        try:
            pk = search_id(token)
        except signing.BadSignature:
            return None, "bad"
        search = SavedSearch.objects.filter(pk=pk).first()
        if search is None:
            return None, "gone"
        return search, "done" if not search.is_active else "ask"

    def get(self, request, token):
        search, state = self.lookup(token)
        return self.show(search, state)

    def post(self, request, token):
        search, state = self.lookup(token)
        if state == "ask":
            services.unsubscribe(search)
            state = "unsubscribed"
        return self.show(search, state)

    def show(self, search, state):
        filters = []
        if search is not None:
            form = SavedSearchForm(filters=search.filters)
            filters = form.description
        return render(self.request, self.template_name,
                      {"search": search, "state": state, "filters": filters},
                      status=400 if state == "bad" else 200)


