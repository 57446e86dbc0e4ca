"""Admin of companies (members inline), invitations and the supplier pool.

A supplier is approved through ``services.approve_supplier`` (the list's action).
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Company, Invitation, Membership, Supplier


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "registration_number_display", "region", "ksic_code", "is_sme",
                    "employees"]
    list_filter = ["region", "is_sme", "prior_support"]
    search_fields = ["name", "registration_number", "representative"]
    inlines = [MembershipInline]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("-", ""))


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "invited_by", "created_at", "accepted_at"]
    search_fields = ["email", "company__name"]
    list_select_related = ["company", "invited_by"]
    readonly_fields = ["token", "accepted_at", "accepted_by"]


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "registration_number", "region", "specialties", "industries",
                    "past_builds", "approved", "created_by", "created_at"]
    list_filter = ["approved", "region"]
    search_fields = ["name", "registration_number", "specialties", "industries", "processes"]
    list_select_related = ["region", "created_by"]
    readonly_fields = ["approved", "created_by", "created_at"]
    actions = ["approve"]

    @admin.action(description=_("Approve the selected suppliers for the pool"))
    def approve(self, request, queryset):
        count = 0
        for supplier in queryset.filter(approved=False):
            services.approve_supplier(supplier, user=request.user)
            count += 1
        self.message_user(request, ngettext(
            "%(count)d supplier approved.", "%(count)d suppliers approved.", count)
            % {"count": count}, messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
