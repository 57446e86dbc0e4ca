"""The inquiries section of the dashboard: staff and operators' questions waiting (one query)."""

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .enums import QuestionStatus
from .selectors import answerable_questions
from .workdays import overdue_before


def sections(request):
    user = request.user
    if not (user.is_staff or user.is_operator):
        return []
    limit = overdue_before(timezone.now(), settings.INQUIRY_OVERDUE_WORKING_DAYS)
    counts = answerable_questions(user).filter(status=QuestionStatus.NEW).aggregate(
        new=Count("pk"), overdue=Count("pk", filter=Q(created_at__lt=limit)))
    return [{"template": "inquiries/_dashboard_inbox.html", "new_count": counts["new"],
             "overdue_count": counts["overdue"]}]
