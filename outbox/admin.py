from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by the portal's services; staff may publish again a
    message that failed or is still pending."""

    list_display = ["pk", "kind", "task_name", "group", "status", "publications", "created_at",
                    "published_at", "done_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "task_name", "group"]
    readonly_fields = [field.name for field in Message._meta.fields]
    actions = ["publish_again"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Publish the selected messages again"),
                  permissions=["view"])
    def publish_again(self, request, queryset):
        published, pending = services.republish(queryset)
        level = messages.WARNING if pending else messages.SUCCESS
        self.message_user(request, ngettext(
            "%(published)d message published, %(pending)d pending.",
            "%(published)d messages published, %(pending)d pending.", published)
            % {"published": published, "pending": pending}, level)
