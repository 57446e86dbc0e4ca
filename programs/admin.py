from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from portal.templatetags.portal_tags import won

from . import models, services
from .selectors import budget_summary


class FundingShareFormSet(BaseInlineFormSet):
    """A track's funding shares together may give at most 100% of the eligible cost."""

    def clean(self):
        super().clean()
        total = Decimal("0")
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            rate = form.cleaned_data.get("rate")
            if rate is not None:
                total += rate
        if total > 1:
            raise ValidationError(
                _("The funding shares of a track add up to %(total)s%%; at most 100%% is "
                  "allowed.") % {"total": f"{(total * 100).normalize():f}"}
            )


class FundingShareInline(admin.TabularInline):
    model = models.FundingShare
    formset = FundingShareFormSet
    extra = 0


@admin.register(models.Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name", "call", "kind", "order", "target_count", "max_project_cost",
                    "total_cap"]
    list_filter = ["kind", "call__programme", "call__region"]
    search_fields = ["name", "name_en", "call__title", "call__code"]
    list_select_related = ["call"]
    inlines = [FundingShareInline]


class TrackInline(admin.TabularInline):
    model = models.Track
    extra = 0
    show_change_link = True
    fields = ["order", "kind", "name", "name_en", "target_count", "max_project_cost", "total_cap",
              "min_members"]


class BudgetLineInline(admin.TabularInline):
    model = models.BudgetLine
    extra = 0


class LinkedProgrammeInline(admin.TabularInline):
    model = models.LinkedProgramme
    extra = 0


class EventInline(admin.TabularInline):
    model = models.Event
    extra = 0


class BonusItemInline(admin.TabularInline):
    model = models.BonusItem
    extra = 0


@admin.register(models.Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "region", "programme", "opens_at", "closes_at",
                    "total_budget_display", "budget_lines_display"]
    list_filter = ["programme", "region"]
    search_fields = ["code", "title", "title_en", "sector"]
    list_select_related = ["programme", "region"]
    filter_horizontal = ["required_documents"]
    inlines = [TrackInline, BudgetLineInline, BonusItemInline, LinkedProgrammeInline,
               EventInline]
    readonly_fields = ["budget_lines_display"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("budget_lines")

    @admin.display(description=_("total budget"), ordering="total_budget")
    def total_budget_display(self, obj):
        return won(obj.total_budget)

    @admin.display(description=_("budget lines against the total"))
    def budget_lines_display(self, obj):
        if not obj.pk:
            return "—"
        summary = budget_summary(obj)
        text = _("%(lines)s of %(total)s") % {"lines": won(summary.lines_total),
                                                "total": won(summary.call_total)}
        if summary.difference:
            text += " · " + _("difference %(diff)s") % {"diff": won(summary.difference)}
        return text


class CriterionInline(admin.TabularInline):
    model = models.Criterion
    extra = 0


@admin.register(models.EvaluationRound)
class EvaluationRoundAdmin(admin.ModelAdmin):
    list_display = ["call", "kind", "order", "weight", "locked_at", "closed_at"]
    list_filter = ["kind", "call"]
    inlines = [CriterionInline]
    # Weights and pass rules are set for all of a call's rounds at once on the reviews'
    # rounds page (they must add up to 100%); closing and opening happen there too.
    readonly_fields = ["weight", "pass_mark", "pass_multiple", "closed_at", "opened_at"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.locked_at:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.locked_at:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "agency", "inquiry_phone", "inquiry_email"]
    search_fields = ["code", "name", "name_en", "agency"]


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year", "ministry"]
    list_filter = ["year"]
    search_fields = ["code", "name", "name_en"]


@admin.register(models.DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(models.BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["call", "source", "amount"]
    list_filter = ["source", "call__region"]
    list_select_related = ["call"]


class AttachmentInline(admin.TabularInline):
    model = models.AnnouncementAttachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at"]
    fields = ["original_name", "content_type", "size", "uploaded_at"]

    can_delete = False  # removed through the operator pages, which keep the audit trail

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the operator pages, which sniff the content


class AnnouncementChangeInline(admin.TabularInline):
    model = models.AnnouncementChange
    extra = 0
    fields = ["at", "action", "actor", "detail"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "status", "published_at", "updated_at"]
    list_filter = ["status", "call__region", "call__programme"]
    search_fields = ["title", "title_en", "body"]
    list_select_related = ["call"]
    readonly_fields = ["status", "published_at", "created_by", "created_at", "updated_at"]
    inlines = [AttachmentInline, AnnouncementChangeInline]
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        services.save_announcement(obj, user=request.user)

    @admin.action(description=_("Publish the selected announcements"))
    def publish(self, request, queryset):
        for announcement in queryset:
            services.publish_announcement(announcement, user=request.user)

    @admin.action(description=_("Unpublish the selected announcements"))
    def unpublish(self, request, queryset):
        for announcement in queryset:
            services.unpublish_announcement(announcement, user=request.user)
