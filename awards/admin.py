"""Award runs, result lines and notices in the Django admin: read-only records (a run changes
only through the services), with the notices' retry as an action."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin import ReadOnlyInline
from portal.templatetags.portal_tags import won

from . import services
from .enums import NoticeStatus
from .models import AwardRun, AwardRunStateChange, Notice, NoticeStateChange, ResultLine


class ReadOnlyAdmin(admin.ModelAdmin):
    # A run's stored inputs (every candidate of the call: megabytes of JSON at 10,000
    # applications) are shown on the run's own page only, never read for a list's rows.
    deferred_inputs = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.defer(self.deferred_inputs) if self.deferred_inputs else queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RunListFilter(admin.RelatedFieldListFilter):
    """The runs to filter by, named by their call's code in one query (not one per run), and
    without their stored inputs."""

    def field_choices(self, field, request, model_admin):
        runs = AwardRun.objects.select_related("call").defer("inputs").order_by(
            "call__code", "-started_at", "-pk")
        return [(run.pk, str(run)) for run in runs]


class AwardRunStateChangeInline(ReadOnlyInline):
    model = AwardRunStateChange
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


class NoticeStateChangeInline(ReadOnlyInline):
    model = NoticeStateChange
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


@admin.register(AwardRun)
class AwardRunAdmin(ReadOnlyAdmin):
    inlines = [AwardRunStateChangeInline]
    list_display = ["__str__", "call", "status", "rule_version", "started_by", "started_at",
                    "confirmed_by", "confirmed_at"]
    list_filter = ["status", "call"]
    list_select_related = ["call", "started_by", "confirmed_by"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match is not None and match.url_name.endswith("_changelist"):
            return queryset.defer("inputs")
        return queryset
    readonly_fields = ["call", "status", "rule_version", "inputs_hash", "refusal_reason",
                       "started_by", "started_at", "computed_at", "confirmed_by",
                       "confirmed_at", "inputs"]
    date_hierarchy = "started_at"


@admin.register(ResultLine)
class ResultLineAdmin(ReadOnlyAdmin):
    list_display = ["run", "position", "application", "track", "rank", "final_score",
                    "outcome", "support", "contribution_cash", "contribution_in_kind"]
    list_filter = ["outcome", "run__call", ("run", RunListFilter)]
    list_select_related = ["run__call", "application", "track__call"]
    deferred_inputs = "run__inputs"
    search_fields = ["application__receipt_number", "application__company__name"]
    raw_id_fields = ["run", "application", "track"]
    # A page read along the unique index (run, position), not every line of every run sorted
    # by its call's programme and code; no full count beside the filtered one; 50 a page.
    ordering = ["run_id", "position"]
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description=_("total support"))
    def support(self, line):
        return won(line.support_total)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    inlines = [NoticeStateChangeInline]
    list_display = ["code", "kind", "application", "run", "status", "generated_at",
                    "emailed_at", "attempts"]
    list_filter = ["status", "kind", "run__call"]
    list_select_related = ["application", "run__call"]
    deferred_inputs = "run__inputs"
    search_fields = ["code", "application__receipt_number", "application__company__name"]
    readonly_fields = ["code", "kind", "run", "application", "line", "status", "file",
                       "created_at", "queued_at", "generated_at", "emailed_at", "attempts",
                       "last_error"]
    actions = ["send_again"]

    @admin.action(description=_("Queue again the unsent notices of the selected notices' runs"))
    def send_again(self, request, queryset):
        runs = {notice.run for notice in queryset.exclude(status=NoticeStatus.SENT)
                .select_related("run")}
        queued = pending = 0
        for run in runs:
            done, left = services.queue_notices(run)
            queued, pending = queued + done, pending + left
        level = messages.WARNING if pending else messages.SUCCESS
        self.message_user(request, ngettext(
            "%(queued)d notice queued, %(pending)d pending.",
            "%(queued)d notices queued, %(pending)d pending.", queued)
            % {"queued": queued, "pending": pending}, level)
