from django.contrib import admin

from .models import ConsentRecord, ConsentVersion


@admin.register(ConsentVersion)
class ConsentVersionAdmin(admin.ModelAdmin):
    """Staff publish a new version rather than change one users have agreed to."""

    list_display = ["number", "published_at", "created_at"]
    ordering = ["-number"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.records.exists():
            return [f.name for f in obj._meta.fields if f.name != "id"]
        return ["created_at"]

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (
            obj is not None and obj.records.exists())


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """Read only: a consent is the user's own act, with its date and version."""

    list_display = ["user", "version", "personal_information", "marketing", "agreed_at"]
    list_filter = ["version", "marketing"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
