"""The alerts section of the dashboard: the user's saved searches (one query)."""

from .models import SavedSearch


def sections(request):
    searches = list(SavedSearch.objects.filter(user=request.user)
                    .order_by("-created_at", "-pk")[:20])
    return [{"template": "alerts/_dashboard_alerts.html", "searches": searches}]
