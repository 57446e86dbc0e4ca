"""The reviews sections of the dashboard: a reviewer's queue, staff review progress."""

from django.db.models import Count, Q

from programs.models import EvaluationRound

from .enums import ConflictStatus
from .models import Assignment
from .rules import is_reviewer
from .selectors import reviewer_assignments


def rounds_with_progress() -> list[EvaluationRound]:
    """Every evaluation round (with its call) and its counts — reviews assigned, submitted,
    conflicts open — as ``assigned``, ``submitted`` and ``conflicts``. Two queries: the counts
    grouped by round alone over the assignments' own columns (grouping every assignment
    joined to its round and call cost seven times as much at 50,000 assignments)."""
    counting = Q(released_at__isnull=True) & ~Q(conflict=ConflictStatus.DECLARED)
    counts = {row["round_id"]: row for row in (
        Assignment.objects.order_by().values("round_id")
        .annotate(assigned=Count("pk", filter=counting),
                  submitted=Count("pk", filter=counting & Q(submitted_at__isnull=False)),
                  conflicts=Count("pk", filter=Q(released_at__isnull=True,
                                                 conflict=ConflictStatus.DECLARED))))}
    rounds = list(EvaluationRound.objects.select_related("call").order_by("call__code", "order",
                                                                           "pk"))
    for evaluation_round in rounds:
        row = counts.get(evaluation_round.pk, {})
        evaluation_round.assigned = row.get("assigned", 0)
        evaluation_round.submitted = row.get("submitted", 0)
        evaluation_round.conflicts = row.get("conflicts", 0)
    return rounds


def reviewer_sections(request):
    """How many of the reviewer's applications await a conflict answer, scoring, or are done."""
    user = request.user
    if not is_reviewer(user):
        return []
    counts = reviewer_assignments(user).exclude(conflict=ConflictStatus.DECLARED).aggregate(
        conflict_check=Count("pk", filter=Q(conflict=ConflictStatus.PENDING)),
        in_progress=Count("pk", filter=Q(conflict=ConflictStatus.NONE,
                                         submitted_at__isnull=True)),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
    )
    return [{"template": "reviews/_dashboard_reviewer.html", **counts}]


def staff_sections(request):
    """Review progress per evaluation round that has reviewers, for ministry staff."""
    if not request.user.is_staff:
        return []
    rounds = [r for r in rounds_with_progress() if r.assigned or r.conflicts]
    return [{"template": "reviews/_dashboard_staff.html", "rounds": rounds}]
