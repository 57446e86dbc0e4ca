"""The reviews sections of the dashboard: a reviewer's queue, staff review progress."""

from django.db.models import Count, Q

from programs.models import EvaluationRound

from .enums import ConflictStatus
from .models import Assignment, RoundTally
from .rules import is_reviewer
from .selectors import reviewer_assignments


def rounds_with_progress() -> list[EvaluationRound]:
    """Every evaluation round (with its call) and its counts — reviews assigned, submitted,
    conflicts open — as ``assigned``, ``submitted`` and ``conflicts``, read from the rounds'
    stored ``RoundTally``. One query when every tally is current; a round changed since its
    tally was counted (``RoundRevision``: every save, delete and bulk insert of an assignment)
    is counted again, over its own assignments' columns, and stored: two queries more."""
    rounds = list(EvaluationRound.objects.select_related("call", "revision", "tally")
                  .order_by("call__code", "order", "pk"))
    stale = {}
    for evaluation_round in rounds:
        # The revision is read before the counting: a change committed in between moves it
        # on again, and the next read counts once more.
        revision = getattr(evaluation_round, "revision", None)
        revision = revision.value if revision else 0
        tally = getattr(evaluation_round, "tally", None)
        if tally is None or tally.revision != revision:
            stale[evaluation_round.pk] = RoundTally(round=evaluation_round, revision=revision,
                                                    assigned=0, submitted=0, conflicts=0)
        else:
            evaluation_round.counted = tally
    if stale:
        counting = Q(released_at__isnull=True) & ~Q(conflict=ConflictStatus.DECLARED)
        for row in (Assignment.objects.filter(round__in=list(stale)).order_by()
                    .values("round_id")
                    .annotate(assigned=Count("pk", filter=counting),
                              submitted=Count("pk", filter=counting
                                              & Q(submitted_at__isnull=False)),
                              conflicts=Count("pk", filter=Q(released_at__isnull=True,
                                                             conflict=ConflictStatus.DECLARED)))):
            tally = stale[row["round_id"]]
            tally.assigned, tally.submitted, tally.conflicts = (
                row["assigned"], row["submitted"], row["conflicts"])
        RoundTally.objects.bulk_create(
            stale.values(), update_conflicts=True, unique_fields=["round"],
            update_fields=["revision", "assigned", "submitted", "conflicts"])
    for evaluation_round in rounds:
        tally = stale.get(evaluation_round.pk) or evaluation_round.counted
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
