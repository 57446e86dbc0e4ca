from django.contrib import admin

from .models import PublishedResult


@admin.register(PublishedResult)
class PublishedResultAdmin(admin.ModelAdmin):
    """Read-only: results are published from /manage/results/ (results.services.publish)."""

    list_display = ["call", "run", "show_company_names", "published_by", "published_at"]
    list_select_related = ["call", "run", "published_by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
