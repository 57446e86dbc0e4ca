from django.contrib import admin

from .models import Question, QuestionChange


class QuestionChangeInline(admin.TabularInline):
    model = QuestionChange
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Read-only: questions change only through the inbox (inquiries.services)."""

    list_display = ["title", "announcement", "status", "is_public", "is_faq", "created_at"]
    list_filter = ["status", "is_public", "is_faq"]
    list_select_related = ["announcement"]
    search_fields = ["title", "asker__email"]
    inlines = [QuestionChangeInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
