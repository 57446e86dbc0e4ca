"""The reviews sections of the dashboard: a reviewer's queue, staff review progress."""

from django.db.models import Count, Q

from programs.models import EvaluationRound

from .enums import ConflictStatus
from .rules import is_reviewer
from .selectors import reviewer_assignments, round_tallies


def rounds_with_progress() -> list[EvaluationRound]:
    """Every evaluation round (with its call) and its counts — reviews assigned, submitted,
    conflicts open — as ``assigned``, ``submitted`` and ``conflicts``, read from the rounds'
    stored ``RoundTally`` (``selectors.round_tallies``). One query when every tally is
    current; a round changed since its tally was counted is counted again and stored: two
    queries more."""
    rounds = list(EvaluationRound.objects.select_related("call", "revision", "tally")
                  .order_by("call__code", "order", "pk"))
    tallies = round_tallies(rounds)
    for evaluation_round in rounds:
        tally = tallies[evaluation_round.pk]
        evaluation_round.assigned = tally.assigned
        evaluation_round.submitted = tally.submitted
        evaluation_round.conflicts = tally.conflicts
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
