from django.contrib import admin

from companies.models import Exclusion

from .models import (
    Agreement,
    AgreementVersion,
    CallTerms,
    ChangeRequest,
    PromotionLine,
    PromotionRun,
)


@admin.register(CallTerms)
class CallTermsAdmin(admin.ModelAdmin):
    list_display = ["call", "agreement_days", "project_months", "design_months",
                    "promotion_days", "promotion_ends_on"]
    list_select_related = ["call"]


class VersionInline(admin.TabularInline):
    model = AgreementVersion
    extra = 0
    can_delete = False
    fields = ["number", "code", "period_start", "period_end", "national", "provincial",
              "municipal", "generated_at"]
    readonly_fields = fields


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the portal's pages (and their services)."""

    list_display = ["application", "deadline", "accepted_at", "period_end"]
    list_select_related = ["application"]
    search_fields = ["application__receipt_number", "application__company__name"]
    inlines = [VersionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["agreement", "kind", "status", "filed_at", "decided_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["agreement__application"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class PromotionLineInline(admin.TabularInline):
    model = PromotionLine
    extra = 0
    can_delete = False
    fields = ["application", "waitlist_position", "promoted", "national", "provincial",
              "municipal"]
    readonly_fields = fields


@admin.register(PromotionRun)
class PromotionRunAdmin(admin.ModelAdmin):
    list_display = ["call", "track", "status", "started_at", "confirmed_at"]
    list_select_related = ["call", "track"]
    exclude = ["inputs"]
    inlines = [PromotionLineInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):
    list_display = ["registration_number", "company_name", "starts_on", "ends_on"]
    search_fields = ["registration_number", "company_name"]
