"""Admin of clusters (with their members inline) and of the supplier pool.

Statuses are read-only here: a cluster's state changes only through
``services.change_cluster_status`` (its audit trail is shown inline), and a supplier
is approved through ``companies.services.approve_supplier``.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from portal.admin import ReadOnlyInline
from portal.templatetags.portal_tags import won
from programs.money import TrackRules, compute_support

from .models import (
    Cluster,
    ClusterDocument,
    ClusterInvitation,
    ClusterMember,
    ClusterNotice,
    ClusterStateChange,
)


class ClusterMemberInline(ReadOnlyInline):
    model = ClusterMember
    fields = ["company", "role", "joined_at", "cost_display", "support_display",
              "contribution_cash_display", "contribution_in_kind_display", "priority_claim",
              "priority_evidence", "part_completed_at", "withdrawn_at", "withdrawn_reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "company", "cluster__track__call").prefetch_related("cluster__track__shares")

    @admin.display(description=_("cost"))
    def cost_display(self, obj):
        return won(obj.cost) if obj.cost else "—"

    @admin.display(description=_("support"))
    def support_display(self, obj):
        if not obj.cost:
            return "—"
        return won(compute_support(TrackRules.for_track(obj.cluster.track), obj.cost).total)

    @admin.display(description=_("contribution in cash"))
    def contribution_cash_display(self, obj):
        return won(obj.contribution_cash) if obj.contribution_cash is not None else "—"

    @admin.display(description=_("contribution in kind"))
    def contribution_in_kind_display(self, obj):
        return won(obj.contribution_in_kind) if obj.contribution_in_kind is not None else "—"


class ClusterInvitationInline(ReadOnlyInline):
    model = ClusterInvitation
    fields = ["registration_number", "email", "created_at", "accepted_at", "cancelled_at"]
    readonly_fields = fields


class ClusterDocumentInline(ReadOnlyInline):
    model = ClusterDocument
    fields = ["kind", "member", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


class ClusterStateChangeInline(ReadOnlyInline):
    model = ClusterStateChange
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


class ClusterNoticeInline(ReadOnlyInline):
    model = ClusterNotice
    fields = ["created_at", "kind", "company_name", "active_members"]
    readonly_fields = fields


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "call", "lead_company", "status", "members_display",
                    "receipt_number", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["name", "lead_company__name", "lead_company__registration_number",
                     "application__receipt_number", "members__company__name"]
    list_select_related = ["call", "lead_company", "application"]
    readonly_fields = ["call", "track", "lead_company", "status", "submitted_at", "application",
                       "created_by", "created_at", "updated_at"]
    fields = ["call", "track", "lead_company", "name", "shared_process", "supplier",
              "supplier_name", "supplier_registration_number", "common_system", "system_scope",
              "status", "submitted_at", "application", "created_by", "created_at",
              "updated_at"]
    inlines = [ClusterMemberInline, ClusterInvitationInline, ClusterDocumentInline,
               ClusterStateChangeInline, ClusterNoticeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_members=Count("members", filter=Q(members__withdrawn_at__isnull=True),
                            distinct=True))

    def has_add_permission(self, request):
        return False  # companies open clusters; staff follow them here

    @admin.display(description=_("members"), ordering="n_members")
    def members_display(self, obj):
        return obj.n_members

    @admin.display(description=_("receipt number"), ordering="application__receipt_number")
    def receipt_number(self, obj):
        return obj.application.receipt_number if obj.application else "—"


