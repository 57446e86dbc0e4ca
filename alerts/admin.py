from django.contrib import admin

from .models import AlertDelivery, Digest, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "frequency", "created_at", "unsubscribed_at"]
    list_filter = ["frequency"]
    list_select_related = ["user"]
    search_fields = ["name", "user__email"]
    readonly_fields = ["created_at"]


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    list_display = ["search", "announcement", "digest", "created_at"]
    list_select_related = ["search", "announcement", "digest"]
    raw_id_fields = ["search", "announcement", "digest"]


admin.site.register(Digest)
