"""The supplier pool (공급기업 pool): public list and detail, registration, staff approval."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from portal.mixins import RulesRequiredMixin
from portal.pagecache import PublicPageCacheMixin

from . import services
from .selectors import public_suppliers, suppliers_visible_to
from .supplier_forms import SupplierFilter, SupplierForm


class SupplierListView(PublicPageCacheMixin, ListView):
    template_name = "companies/supplier/list.html"
    context_object_name = "suppliers"
    paginate_by = 20

    def get_queryset(self):
        self.filterset = SupplierFilter(self.request.GET or None, queryset=public_suppliers())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class SupplierDetailView(DetailView):
    """Approved suppliers for everyone; staff also see those waiting for approval."""

    template_name = "companies/supplier/detail.html"
    context_object_name = "supplier"

    def get_object(self, queryset=None):
        return get_object_or_404(suppliers_visible_to(self.request.user), pk=self.kwargs["pk"])


class SupplierRegisterView(RulesRequiredMixin, FormView):
    permission_required = "companies.register_supplier"
    template_name = "companies/supplier/register.html"
    form_class = SupplierForm

    def form_valid(self, form):
        services.register_supplier(form.save(commit=False), user=self.request.user)
        messages.success(self.request, _(
            "Thank you. The supplier is registered and appears in the pool once ministry staff "
            "approve it."))
        return redirect("suppliers:list")


class SupplierApproveView(RulesRequiredMixin, View):
    permission_required = "companies.approve_supplier"

    def post(self, request, pk):
        supplier = get_object_or_404(suppliers_visible_to(request.user), pk=pk)
        services.approve_supplier(supplier, user=request.user)
        messages.success(request, _("The supplier is approved and now public in the pool."))
        return redirect("suppliers:detail", pk=pk)
