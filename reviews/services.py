"""Writes of the reviews app: assigning reviewers, conflicts of interest, scoring, reopening,
marking applications scored.

Each function does its change completely in one transaction with its audit row
(``ReviewEvent``; application states through ``applications.services.transition``) and raises
``ValidationError`` with a translated message when the change is not allowed, having saved
nothing. Every function that adds or removes reviewers first locks the round's row, then the
applications concerned (``select_for_update``), so two staff assigning at once run one after the
other and the unique constraint (round, application, reviewer) backs it up.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import transition, transition_many
from portal import bulk
from portal.state import mirror
from programs.models import Criterion, EvaluationRound

from . import balancing, coreview, fairness, round_scores
from .calibration import disagreement_thresholds
from .enums import ConflictStatus, ReviewAction, ScoreBasis
from .models import (
    Assignment,
    CallScoring,
    ReviewerProfile,
    ReviewEvent,
    RoundExemption,
    RoundResult,
    Score,
)
from .selectors import conflict_numbers

RUBRIC_TOTAL = Decimal("100")
HALF = Decimal("0.5")
# A criterion scored below 40% or above 90% of its maximum needs a comment before the review
# is submitted (issue 14 item 7; settings REVIEW_COMMENT_BELOW, REVIEW_COMMENT_ABOVE).
COMMENT_BELOW = Decimal("0.4")
COMMENT_ABOVE = Decimal("0.9")
# Applications that may get reviewers: screened eligible, or already under review.
ASSIGNABLE_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW)


# --- The rubric ---------------------------------------------------------------------------

def check_rubric(evaluation_round: EvaluationRound) -> list[Criterion]:
    """The round's criteria, in order; refuses to open scoring unless they sum to 100."""
    criteria = list(evaluation_round.criteria.order_by("order", "pk"))
    total = sum((c.max_points for c in criteria), Decimal("0"))
    if not criteria or total != RUBRIC_TOTAL:
        raise ValidationError(
            _("The rubric of %(round)s has criteria worth %(total)s points in all; they must "
              "add up to 100 before reviewers can be assigned or score. Correct the rubric in "
              "the administration first.")
            % {"round": evaluation_round, "total": f"{total.normalize():f}"},
            code="rubric")
    return criteria


def lock_rubric(evaluation_round: EvaluationRound, now=None) -> None:
    """Freeze the rubric once the first score is submitted (the admin refuses changes after)."""
    EvaluationRound.objects.filter(pk=evaluation_round.pk, locked_at__isnull=True).update(
        locked_at=now or timezone.now())


def set_score_basis(call, basis: str, *, actor) -> CallScoring:
    """Choose which score allocates the call's awards (DOMAIN.md §5.1): refused once any review
    of the call is submitted. The call's rounds are locked first, so a first submission at the
    same time (which locks its round's rubric) comes after the choice or refuses it."""
    if basis not in ScoreBasis.values:
        raise ValidationError(_("Choose the rule score or the calibrated score."),
                              code="basis")
    with transaction.atomic():
        rounds = list(EvaluationRound.objects.select_for_update().filter(call=call)
                      .order_by("pk"))
        locked = sorted(r.locked_at for r in rounds if r.locked_at is not None)
        if basis == ScoreBasis.CALIBRATED and len(rounds) > 1:
            raise ValidationError(
                _("This call evaluates in %(count)d rounds: the calibrated score allocates "
                  "only a one-round call.") % {"count": len(rounds)}, code="rounds")
        if locked:
            raise ValidationError(
                _("The first review of this call was submitted on %(date)s: the score that "
                  "allocates can no longer change.")
                % {"date": timezone.localtime(locked[0]).strftime("%Y-%m-%d %H:%M")},
                code="locked")
        scoring, _created = CallScoring.objects.update_or_create(
            call=call, defaults={"basis": basis, "changed_by": actor})
    return scoring


# --- Assigning reviewers --------------------------------------------------------------------

def reviewer_pool(evaluation_round: EvaluationRound):
    """Active reviewers on the round's committee (``round_scores.round_committee``: those named
    for the round, else the call's committee): whom automatic assignment uses."""
    return round_scores.round_committee(evaluation_round)


def check_round_assignable(evaluation_round: EvaluationRound):
    """Refuses assigning in a closed round or in a later round not yet opened; returns the
    round before it (None for the first) and the one after."""
    previous, following = round_scores.neighbours(evaluation_round)
    if evaluation_round.closed_at is not None:
        raise ValidationError(
            _("%(round)s is closed: its reviewers can no longer change.")
            % {"round": evaluation_round}, code="closed")
    if previous is not None and evaluation_round.opened_at is None:
        raise ValidationError(
            _("%(round)s opens once %(previous)s is closed and staff open it for those who "
              "pass on.") % {"round": evaluation_round, "previous": previous},
            code="not_open")
    return previous, following


def _lock(evaluation_round: EvaluationRound, application_ids) -> list[Application]:
    EvaluationRound.objects.select_for_update().get(pk=evaluation_round.pk)
    return list(Application.objects.select_for_update()
                .filter(pk__in=list(application_ids)).order_by("pk"))


def _record(assignment, action, actor, reason=""):
    return ReviewEvent.objects.create(assignment=assignment, action=action, actor=actor,
                                      reason=reason)


def _start_review(application: Application, actor) -> None:
    """ELIGIBLE → UNDER_REVIEW when an application gets its first reviewer."""
    if application.status == ApplicationStatus.ELIGIBLE:
        transition(application, ApplicationStatus.UNDER_REVIEW, actor=actor,
                   reason=_("Reviewers assigned."))


def _check_assignable(application: Application) -> None:
    if application.status not in ASSIGNABLE_STATUSES:
        raise ValidationError(
            _("Application %(application)s is “%(status)s”: reviewers are assigned only to "
              "eligible applications or applications under review.")
            % {"application": application, "status": application.get_status_display()},
            code="status")


def _check_entrant(evaluation_round, previous, application) -> None:
    if RoundExemption.objects.filter(round=evaluation_round, application=application).exists():
        raise ValidationError(
            _("Application %(application)s is exempt from %(round)s.")
            % {"application": application, "round": evaluation_round}, code="exempt")
    if previous is not None and not RoundResult.objects.filter(
            round=previous, application=application, passed=True).exists():
        raise ValidationError(
            _("Application %(application)s did not pass on from %(previous)s.")
            % {"application": application, "previous": previous}, code="not_passed")


@dataclass
class AssignmentResult:
    created: list[Assignment] = field(default_factory=list)
    # application id → how many reviewers were still missing (too few unconflicted reviewers)
    short: dict[int, int] = field(default_factory=dict)


def auto_assign(evaluation_round: EvaluationRound, *, per_application: int, actor,
                applications=None, reason: str = "") -> AssignmentResult:
    """Give every assignable application of the round's call ``per_application`` counting
    reviewers, choosing the least-loaded committee members without a conflict.

    Counting reviewers are active and not conflicted; one already there counts towards n.
    A reviewer is never given an application twice, never one whose company or supplier has
    their organisation's registration number, and never one they declared a conflict on.
    Running it again changes nothing once every application has its n.
    """
    if per_application < 1:
        raise ValidationError(_("Assign at least one reviewer per application."), code="n")
    check_rubric(evaluation_round)
    previous, following = check_round_assignable(evaluation_round)
    result = AssignmentResult()
    with transaction.atomic():
        scope = Application.objects.filter(call_id=evaluation_round.call_id,
                                           status__in=ASSIGNABLE_STATUSES)
        # Rounds (DOMAIN.md §5.1): never an application exempt from this round; in a later
        # round only those who passed the one before.
        scope = scope.exclude(pk__in=RoundExemption.objects.filter(round=evaluation_round)
                              .values("application_id"))
        if previous is not None:
            scope = scope.filter(pk__in=RoundResult.objects.filter(
                round=previous, passed=True).values("application_id"))
        if applications is not None:
            scope = scope.filter(pk__in=[a.pk for a in applications])
        # The round, then the applications, locked as _lock does, but selected by the scope
        # itself: a list of 10,000 ids costs more to send and plan than the rows to read.
        EvaluationRound.objects.select_for_update().get(pk=evaluation_round.pk)
        locked = list(scope.select_for_update().order_by("pk").only("pk", "status"))
        numbers = conflict_numbers(locked, scope=scope)
        existing = Assignment.objects.filter(round=evaluation_round, application__in=scope)
        taken = defaultdict(set)
        counting = Counter()
        present = defaultdict(list)  # the counting reviewers each application has
        for row in existing.values("application_id", "reviewer_id", "conflict", "released_at"):
            taken[row["application_id"]].add(row["reviewer_id"])
            if row["released_at"] is None and row["conflict"] != ConflictStatus.DECLARED:
                counting[row["application_id"]] += 1
                present[row["application_id"]].append(row["reviewer_id"])
        # The co-review graph so far (issue 14 item 6): among equally loaded candidates the
        # one from a group the application does not reach yet is preferred.
        groups = coreview.groups_of((application_id, reviewer_id)
                                    for application_id, reviewers in present.items()
                                    for reviewer_id in reviewers)
        pool = list(reviewer_pool(evaluation_round).order_by("pk")
                    .values_list("pk", "organisation_registration_number"))
        if not pool and (previous is not None or following is not None):
            raise ValidationError(
                _("%(round)s has no committee: name its reviewers (or the call's committee) "
                  "before assigning.") % {"round": evaluation_round}, code="committee")
        load = Counter(dict(Assignment.objects.counting().filter(round=evaluation_round)
                            .order_by().values_list("reviewer_id")
                            .annotate(n=Count("pk")).values_list("reviewer_id", "n")))
        # The committee least loaded first (balancing.Committee: the order kept as loads
        # change, not the committee sorted again for each of 10,000 applications).
        members = balancing.Committee((reviewer_id for reviewer_id, _number in pool), load,
                                      groups)
        by_number = defaultdict(set)  # an organisation's registration number → its reviewers
        for reviewer_id, number in pool:
            by_number[number].add(reviewer_id)
        started = []
        new_assignment = Assignment(round_id=evaluation_round.pk,
                                    assigned_by_id=actor.pk if actor else None)
        for application in locked:
            needed = per_application - counting[application.pk]
            if needed <= 0:
                continue
            excluded = taken.get(application.pk, set())
            conflicted = [by_number[n] for n in numbers[application.pk] if n in by_number]
            if conflicted:
                excluded = excluded.union(*conflicted)
            chosen = members.choose(needed, excluded, present.get(application.pk, ()))
            for reviewer_id in chosen:
                result.created.append(bulk.copy_of(new_assignment, application_id=application.pk,
                                                   reviewer_id=reviewer_id))
            if len(chosen) < needed:
                result.short[application.pk] = needed - len(chosen)
            if chosen:
                started.append(application)
        # COPY on PostgreSQL (portal.bulk): building bulk_create's statements for 50,000
        # assignments and their 50,000 audit rows took most of the time. COPY returns no
        # ids: the new assignments' are read back by (application, reviewer), unique in a
        # round.
        bulk.insert(Assignment, result.created)
        if result.created and any(a.pk is None for a in result.created):
            ids = {(application_id, reviewer_id): pk for pk, application_id, reviewer_id in
                   Assignment.objects.filter(round=evaluation_round, application__in=scope)
                   .values_list("pk", "application_id", "reviewer_id")}
            for assignment in result.created:
                assignment.pk = ids[(assignment.application_id, assignment.reviewer_id)]
        event = ReviewEvent(action=ReviewAction.ASSIGNED, actor_id=actor.pk if actor else None,
                            reason=reason or _("Automatic assignment"))
        bulk.insert(ReviewEvent, [bulk.copy_of(event, assignment_id=assignment.pk)
                                  for assignment in result.created])
        starting = [a for a in started if a.status == ApplicationStatus.ELIGIBLE]
        transition_many({a.pk: ApplicationStatus.UNDER_REVIEW for a in starting},
                        actor=actor, reason=_("Reviewers assigned."))
        mirror(starting, ApplicationStatus.UNDER_REVIEW)
    return result


def assign_reviewer(evaluation_round: EvaluationRound, application: Application,
                    reviewer: ReviewerProfile, *, actor) -> Assignment:
    """Assign one reviewer by hand (any active reviewer, on the committee or not)."""
    check_rubric(evaluation_round)
    previous, _following = check_round_assignable(evaluation_round)
    with transaction.atomic():
        [application] = _lock(evaluation_round, [application.pk])
        _check_assignable(application)
        _check_entrant(evaluation_round, previous, application)
        if not reviewer.active:
            raise ValidationError(_("%(reviewer)s is not an active reviewer.")
                                  % {"reviewer": reviewer}, code="inactive")
        if reviewer.organisation_registration_number in conflict_numbers([application])[
                application.pk]:
            raise ValidationError(
                _("%(reviewer)s cannot review %(application)s: their organisation has the "
                  "registration number of the company or its supplier.")
                % {"reviewer": reviewer, "application": application}, code="conflict")
        assignment = Assignment.objects.filter(round=evaluation_round, application=application,
                                               reviewer=reviewer).first()
        if assignment is not None and assignment.conflict == ConflictStatus.DECLARED:
            raise ValidationError(
                _("%(reviewer)s declared a conflict of interest on %(application)s.")
                % {"reviewer": reviewer, "application": application}, code="conflict")
        if assignment is not None and assignment.released_at is None:
            raise ValidationError(
                _("%(reviewer)s is already assigned to %(application)s.")
                % {"reviewer": reviewer, "application": application}, code="duplicate")
        if assignment is not None:  # released earlier: take the reviewer back
            assignment.released_at = None
            assignment.assigned_by = actor
            assignment.save(update_fields=["released_at", "assigned_by", "updated_at"])
        else:
            assignment = Assignment.objects.create(round=evaluation_round,
                                                   application=application, reviewer=reviewer,
                                                   assigned_by=actor)
        _record(assignment, ReviewAction.ASSIGNED, actor, _("Assigned by hand"))
        _start_review(application, actor)
    return assignment


def release_assignment(assignment: Assignment, *, actor, reason: str = "") -> Assignment:
    """Take the application off the reviewer (a submitted review must be reopened first)."""
    with transaction.atomic():
        _lock(assignment.round, [assignment.application_id])
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.released_at is not None:
            raise ValidationError(_("This reviewer was already released."), code="released")
        if assignment.submitted_at is not None:
            raise ValidationError(
                _("This review was submitted: reopen it before releasing the reviewer."),
                code="submitted")
        assignment.released_at = timezone.now()
        assignment.save(update_fields=["released_at", "updated_at"])
        _record(assignment, ReviewAction.RELEASED, actor, reason)
    return assignment


def replace_assignment(assignment: Assignment, *, actor, reviewer: ReviewerProfile | None = None,
                       reason: str = "") -> AssignmentResult:
    """Release the reviewer and assign another: ``reviewer`` if given, else the least-loaded
    committee member without a conflict. The application keeps the number it had."""
    with transaction.atomic():
        release_assignment(assignment, actor=actor, reason=reason)
        if reviewer is not None:
            created = assign_reviewer(assignment.round, assignment.application, reviewer,
                                      actor=actor)
            return AssignmentResult(created=[created])
        wanted = Assignment.objects.counting().filter(
            round=assignment.round_id, application=assignment.application_id).count() + 1
        return auto_assign(assignment.round, per_application=wanted, actor=actor,
                           applications=[assignment.application])


def request_extra_reviewer(evaluation_round: EvaluationRound, application: Application, *,
                           actor) -> AssignmentResult:
    """One more reviewer for an application flagged for disagreement (DOMAIN.md §5.1), chosen
    by the automatic assignment (least-loaded committee member without a conflict). A scored
    application goes back under review until the new review is in."""
    with transaction.atomic():
        [locked] = _lock(evaluation_round, [application.pk])
        if locked.status not in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SCORED):
            raise ValidationError(
                _("Application %(application)s is “%(status)s”: an extra reviewer is asked "
                  "for only while it is under review or scored.")
                % {"application": locked, "status": locked.get_status_display()},
                code="status")
        counting = Assignment.objects.counting().filter(round=evaluation_round,
                                                        application=locked)
        totals = [Decimal(total or 0) for total in counting.submitted().order_by()
                  .values("pk").annotate(total=Sum("scores__points"))
                  .values_list("total", flat=True)]
        stdev_at, range_at = disagreement_thresholds()
        flag = fairness.disagreement(totals, stdev_at=stdev_at, range_at=range_at)
        if flag is None or not flag.flagged:
            raise ValidationError(
                _("The reviewers of %(application)s do not disagree (standard deviation "
                  "below %(stdev)s and range below %(range)s): assign a reviewer by hand if "
                  "one more is needed.")
                % {"application": locked, "stdev": stdev_at, "range": range_at},
                code="not_flagged")
        wanted = counting.count() + 1
        if locked.status == ApplicationStatus.SCORED:
            transition(locked, ApplicationStatus.UNDER_REVIEW, actor=actor,
                       reason=_("Extra reviewer asked for: the reviewers disagree."))
        result = auto_assign(evaluation_round, per_application=wanted, actor=actor,
                             applications=[locked],
                             reason=_("Extra reviewer: the reviewers disagree"))
        if not result.created:
            raise ValidationError(
                _("No committee member without a conflict of interest is left for "
                  "%(application)s: add a reviewer to the committee or assign one by hand.")
                % {"application": locked}, code="short")
    return result


# --- Conflicts of interest (the reviewer) ------------------------------------------------

def _lock_own(assignment: Assignment) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.released_at is not None:
        raise ValidationError(_("This application is no longer assigned to you."),
                              code="released")
    if locked.submitted_at is not None:
        raise ValidationError(
            _("You submitted this review on %(date)s; it can no longer be changed.")
            % {"date": timezone.localtime(locked.submitted_at).strftime("%Y-%m-%d %H:%M")},
            code="submitted")
    return locked


def confirm_no_conflict(assignment: Assignment, *, actor) -> Assignment:
    with transaction.atomic():
        locked = _lock_own(assignment)
        if locked.conflict == ConflictStatus.DECLARED:
            raise ValidationError(_("You declared a conflict of interest on this application."),
                                  code="declared")
        if locked.conflict == ConflictStatus.NONE:
            return locked
        locked.conflict = ConflictStatus.NONE
        locked.conflict_answered_at = timezone.now()
        locked.save(update_fields=["conflict", "conflict_answered_at", "updated_at"])
        _record(locked, ReviewAction.NO_CONFLICT, actor)
    return locked


def declare_conflict(assignment: Assignment, *, actor, reason: str) -> Assignment:
    """The reviewer has a conflict: they no longer see the application; staff must replace
    them (the staff pages list every declared conflict)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what the conflict of interest is."), code="reason")
    with transaction.atomic():
        locked = _lock_own(assignment)
        if locked.conflict == ConflictStatus.DECLARED:
            return locked
        locked.conflict = ConflictStatus.DECLARED
        locked.conflict_reason = reason
        locked.conflict_answered_at = timezone.now()
        locked.save(update_fields=["conflict", "conflict_reason", "conflict_answered_at",
                                   "updated_at"])
        _record(locked, ReviewAction.CONFLICT_DECLARED, actor, reason)
    return locked


# --- Scoring ------------------------------------------------------------------------------

def parse_points(value, criterion: Criterion) -> Decimal | None:
    """``value`` as points for ``criterion``: empty → None; otherwise a number from 0 to the
    criterion's maximum in whole or half points, else ValidationError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation:
        points = None
    if points is None or not points.is_finite():
        raise ValidationError(_("Enter a number of points, such as 17 or 17.5."),
                              code="invalid")
    maximum = criterion.max_points
    if points < 0 or points > maximum:
        raise ValidationError(
            _("Give between 0 and %(max)s points.") % {"max": f"{maximum.normalize():f}"},
            code="range")
    if (points / HALF) % 1 != 0:
        raise ValidationError(_("Give whole or half points, such as 17 or 17.5."),
                              code="half")
    return points


def comment_bounds() -> tuple[Decimal, Decimal]:
    """(below, above) as shares of a criterion's maximum outside which a comment is needed."""
    return (Decimal(str(getattr(settings, "REVIEW_COMMENT_BELOW", COMMENT_BELOW))),
            Decimal(str(getattr(settings, "REVIEW_COMMENT_ABOVE", COMMENT_ABOVE))))


def missing_comments(criteria, cleaned: dict) -> dict[int, list[str]]:
    """Criterion id → the message, for each criterion scored below or above the bounds of
    ``comment_bounds`` without a comment."""
    below, above = comment_bounds()
    errors = {}
    for criterion in criteria:
        points, comment = cleaned.get(criterion.pk, (None, ""))
        if points is None or comment:
            continue
        share = points / criterion.max_points
        if share < below or share > above:
            errors[criterion.pk] = [
                _("%(points)s of %(max)s points is below %(below)s%% or above %(above)s%% of "
                  "the maximum: say why in a short comment before submitting.")
                % {"points": f"{points.normalize():f}",
                   "max": f"{criterion.max_points.normalize():f}",
                   "below": f"{(below * 100).normalize():f}",
                   "above": f"{(above * 100).normalize():f}"}]
    return errors


def save_review(assignment: Assignment, entries: dict, *, actor, submit: bool = False
                ) -> Assignment:
    """Save the reviewer's points and comments; with ``submit``, submit and lock the review.

    ``entries`` maps criterion id → (points or None, comment). Every value is checked before
    anything is written; on any error nothing is saved. Submitting needs every criterion scored,
    a comment on every criterion scored below 40% or above 90% of its maximum
    (``missing_comments``), and freezes the round's rubric.
    """
    criteria = check_rubric(assignment.round)
    errors = {}
    cleaned = {}
    for criterion in criteria:
        raw_points, comment = entries.get(criterion.pk, (None, ""))
        try:
            points = parse_points(raw_points, criterion)
        except ValidationError as error:
            errors[criterion.pk] = error.messages
            continue
        if submit and points is None:
            errors[criterion.pk] = [_("Score this criterion before submitting.")]
            continue
        cleaned[criterion.pk] = (points, (comment or "").strip())
    unknown = set(entries) - {c.pk for c in criteria}
    if unknown:
        raise ValidationError(_("The rubric changed since you opened the page; reload it."),
                              code="rubric")
    if errors:
        raise ValidationError(
            {str(pk): messages for pk, messages in errors.items()}, code="scores")
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_own(assignment)
        if locked.conflict != ConflictStatus.NONE:
            raise ValidationError(
                _("Confirm that you have no conflict of interest before scoring."),
                code="conflict")
        uncommented = missing_comments(criteria, cleaned) if submit else {}
        if uncommented:
            raise ValidationError(
                {f"comment_{pk}": messages for pk, messages in uncommented.items()},
                code="comments")
        current = {s.criterion_id: s for s in locked.scores.all()}
        for criterion_id, (points, comment) in cleaned.items():
            score = current.get(criterion_id)
            if score is None:
                Score.objects.create(assignment=locked, criterion_id=criterion_id,
                                     points=points, comment=comment)
            elif (score.points, score.comment) != (points, comment):
                score.points, score.comment = points, comment
                score.save(update_fields=["points", "comment", "updated_at"])
        if submit:
            locked.submitted_at = now
            locked.save(update_fields=["submitted_at", "updated_at"])
            lock_rubric(locked.round, now)
            _record(locked, ReviewAction.SUBMITTED, actor)
    return locked


def reopen_review(assignment: Assignment, *, actor, reason: str) -> Assignment:
    """Staff reopen a submitted review so that the reviewer can change it (audited with the
    reason); an application already marked scored goes back under review."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening the review."), code="reason")
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().select_related("application").get(
            pk=assignment.pk)
        if locked.submitted_at is None or locked.released_at is not None:
            raise ValidationError(_("Only a submitted review can be reopened."),
                                  code="not_submitted")
        if EvaluationRound.objects.filter(pk=locked.round_id, closed_at__isnull=False).exists():
            raise ValidationError(_("This review's round is closed: its reviews can no longer "
                                    "be reopened."), code="closed")
        if locked.application.status not in (ApplicationStatus.UNDER_REVIEW,
                                              ApplicationStatus.SCORED):
            raise ValidationError(
                _("Application %(application)s is already “%(status)s”: its reviews can no "
                  "longer be reopened.")
                % {"application": locked.application,
                   "status": locked.application.get_status_display()}, code="decided")
        locked.submitted_at = None
        locked.save(update_fields=["submitted_at", "updated_at"])
        _record(locked, ReviewAction.REOPENED, actor, reason)
        if locked.application.status == ApplicationStatus.SCORED:
            transition(locked.application, ApplicationStatus.UNDER_REVIEW, actor=actor,
                       reason=_("Review reopened: %(reason)s") % {"reason": reason})
    return locked


# --- Marking applications scored ------------------------------------------------------------

def scoring_incomplete_reason(evaluation_round: EvaluationRound, application: Application
                              ) -> str:
    """Why the application cannot be marked scored yet, or "" when its reviews are in."""
    rows = Assignment.objects.active().filter(round=evaluation_round, application=application)
    declared = submitted = counting = 0
    for conflict, submitted_at in rows.values_list("conflict", "submitted_at"):
        if conflict == ConflictStatus.DECLARED:
            declared += 1
        else:
            counting += 1
            submitted += submitted_at is not None
    if declared:
        return _("A reviewer declared a conflict of interest: replace them first.")
    if counting == 0:
        return _("No reviewer is assigned.")
    if submitted < counting:
        return _("%(submitted)d of %(count)d reviews are submitted.") % {
            "submitted": submitted, "count": counting}
    return ""


def mark_scored(evaluation_round: EvaluationRound, application: Application, *, actor
                ) -> Application:
    """UNDER_REVIEW → SCORED once every counting review of the round is submitted."""
    with transaction.atomic():
        [locked] = _lock(evaluation_round, [application.pk])
        if locked.status != ApplicationStatus.UNDER_REVIEW:
            raise ValidationError(
                _("Application %(application)s is “%(status)s”, not under review.")
                % {"application": locked, "status": locked.get_status_display()},
                code="status")
        reason = scoring_incomplete_reason(evaluation_round, locked)
        if reason:
            raise ValidationError(reason, code="incomplete")
        transition(locked, ApplicationStatus.SCORED, actor=actor,
                   reason=_("Every review is submitted."))
    application.status = locked.status
    return locked


def mark_round_scored(evaluation_round: EvaluationRound, *, actor) -> list[Application]:
    """Mark scored every application of the round whose reviews are all in; skip the rest."""
    done = []
    candidates = Application.objects.filter(
        call_id=evaluation_round.call_id, status=ApplicationStatus.UNDER_REVIEW,
        review_assignments__round=evaluation_round).distinct().order_by("pk")
    for application in candidates:
        try:
            done.append(mark_scored(evaluation_round, application, actor=actor))
        except ValidationError:
            continue
    return done
