"""The admin of payments and settlement: the terms are edited here; the ledger, projects and
settlements are read only (money moves through the services, never through the admin)."""

from django.contrib import admin

from .models import LedgerEntry, Project, Refund, Settlement, SettlementTerms


@admin.register(SettlementTerms)
class SettlementTermsAdmin(admin.ModelAdmin):
    list_display = ("call", "advance_rate", "refund_days", "remediation_days",
                    "follow_up_years")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "project", "kind", "source", "amount", "actor")
    list_filter = ("kind", "source", "call")
    list_select_related = ("project__agreement__application__company", "actor")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "call", "status")
    list_filter = ("status", "call")
    list_select_related = ("agreement__application__company", "call")


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ("project", "status", "recognised_cost", "confirmed_at")
    list_select_related = ("project__agreement__application__company",)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("project", "source", "amount", "due_on", "status")
    list_filter = ("status",)
    list_select_related = ("project__agreement__application__company",)
