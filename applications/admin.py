"""Admin of the applications app.

Staff find applications by call, track, status and region, and by company name, registration
number or receipt number. Statuses are read-only here: screening goes through the staff page
or the actions below, both calling ``services.transition``; versions, documents and the
audit trail are shown read-only, never edited.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from companies.validators import normalise_registration_number
from portal import numbers
from portal.admin import QuickCheckboxAdmin, ReadOnlyInline
from portal.templatetags.portal_tags import won
from programs.models import Track

from . import services
from .enums import ApplicationStatus
from .models import Application, BonusClaim, BusinessPlan, Document, PlanVersion, StateChange


class PlanVersionInline(ReadOnlyInline):
    model = PlanVersion
    fields = ["number", "submitted_at", "submitted_by", "total_cost_display",
              "requested_support_display", "version_link"]
    readonly_fields = fields

    @admin.display(description=_("total project cost (won)"))
    def total_cost_display(self, obj):
        return won(obj.total_cost)

    @admin.display(description=_("support requested (won)"))
    def requested_support_display(self, obj):
        return won(obj.requested_support)

    @admin.display(description=_("plan as submitted"))
    def version_link(self, obj):
        url = reverse("applications:version", args=[obj.application_id, obj.number])
        return format_html('<a href="{}">{}</a>', url, _("Open"))


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ["document_type", "download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("applications:document_download", args=[obj.application_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class BonusClaimInline(ReadOnlyInline):
    model = BonusClaim
    fields = ["bonus_item", "evidence", "verified", "verified_by", "verified_at"]
    readonly_fields = fields


class StateChangeInline(ReadOnlyInline):
    model = StateChange
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]


class TrackListFilter(admin.RelatedFieldListFilter):
    """The tracks to filter by, each named by its call's code (``Track.__str__``), read in one
    query instead of one per track."""

    def field_choices(self, field, request, model_admin):
        tracks = Track.objects.select_related("call").order_by("call__code", "order", "pk")
        return [(track.pk, str(track)) for track in tracks]


@admin.register(Application)
class ApplicationAdmin(QuickCheckboxAdmin, admin.ModelAdmin):
    list_display = ["receipt_number", "company", "registration_number", "call", "track",
                    "status", "region", "submitted_at"]
    list_filter = ["call", ("track", TrackListFilter), "status", "company__region",
                   "submitted_at"]
    search_fields = ["company__name", "company__registration_number", "receipt_number"]
    list_select_related = ["company", "company__region", "call", "track", "track__call"]
    # A page costs the same at 100 and 10,000 applications: sorted by the columns of the
    # index application_call_receipt (the model's ordering by "call" sorts every row joined
    # to its call and programme), no full count beside the filtered one, and the submission
    # date filtered by a list filter (a date hierarchy reads every month with an application).
    ordering = ["call_id", "receipt_number", "pk"]
    show_full_result_count = False
    list_per_page = 50
    readonly_fields = ["call", "track", "company", "status", "receipt_number", "submitted_at",
                       "screening_reason", "created_by", "created_at", "updated_at",
                       "screening_link"]
    fields = readonly_fields
    inlines = [PlanVersionInline, DocumentInline, BonusClaimInline, StateChangeInline]
    actions = ["mark_eligible"]

    def has_add_permission(self, request):
        return False

    def get_search_results(self, request, queryset, search_term):
        # "124-81-00998" (or in full width) finds the company stored as 1248100998.
        term = normalise_registration_number(search_term)
        term = term if numbers.is_ascii_digits(term) else search_term
        return super().get_search_results(request, queryset, term)

    @admin.display(description=_("business registration number"),
                   ordering="company__registration_number")
    def registration_number(self, obj):
        return obj.company.registration_number_display

    @admin.display(description=_("factory region"), ordering="company__region")
    def region(self, obj):
        return obj.company.region

    @admin.display(description=_("screening"))
    def screening_link(self, obj):
        url = reverse("applications:screening", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Screen and verify bonus claims"))

    @admin.action(description=_("Screen as eligible"))
    def mark_eligible(self, request, queryset):
        done, refused = 0, []
        for application in queryset.filter(status=ApplicationStatus.SUBMITTED):
            try:
                services.screen_application(application, eligible=True, user=request.user)
                done += 1
            except ValidationError:
                refused.append(str(application))
        skipped = queryset.exclude(status=ApplicationStatus.SUBMITTED).count() + len(refused)
        self.message_user(request, _("%(done)d applications screened as eligible; %(skipped)d "
                                     "left as they were (only submitted applications can be "
                                     "screened; ineligible needs a reason on the screening "
                                     "page).") % {"done": done, "skipped": skipped},
                          messages.SUCCESS if done else messages.WARNING)


@admin.register(BusinessPlan)
class BusinessPlanAdmin(admin.ModelAdmin):
    list_display = ["application", "revision", "updated_at", "updated_by"]
    search_fields = ["application__company__name", "application__receipt_number"]
    list_select_related = ["application", "application__company", "application__call",
                           "updated_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(BonusClaim)
class BonusClaimAdmin(admin.ModelAdmin):
    list_display = ["application", "bonus_item", "verified", "verified_by", "verified_at"]
    list_filter = ["verified", "bonus_item__call"]
    search_fields = ["application__receipt_number", "application__company__name"]
    list_select_related = ["application", "application__company", "application__call",
                           "bonus_item", "verified_by"]
    readonly_fields = ["application", "bonus_item", "evidence", "verified", "verified_by",
                       "verified_at"]
    actions = ["verify", "reject"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Verify the selected bonus claims"))
    def verify(self, request, queryset):
        for claim in queryset:
            services.verify_bonus_claim(claim, verified=True, user=request.user)

    @admin.action(description=_("Do not accept the selected bonus claims"))
    def reject(self, request, queryset):
        for claim in queryset:
            services.verify_bonus_claim(claim, verified=False, user=request.user)

