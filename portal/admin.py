from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["email", "full_name", "region", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "region"]
    search_fields = ["email", "username", "full_name"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Portal"), {"fields": ["full_name", "phone", "region"]}),
    )


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows (versions, audit trails, documents) and never edits them."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
