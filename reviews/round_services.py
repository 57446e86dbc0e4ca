"""Writes of a call evaluated in rounds (DOMAIN.md §5.1): the rounds' weights and pass rules,
exemptions from a round, closing a round (who passes on is stored with the rule that decided
each case) and opening the next one for those only.

Each function works in one transaction, locks the call's rounds first and raises
``ValidationError`` with a translated message, having saved nothing, when the change is not
allowed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import transition_many
from portal.state import mirror
from programs.models import EvaluationRound

from . import notifications, round_scores
from .models import Assignment, RoundExemption, RoundResult
from .services import check_rubric

HUNDRED = 100


@dataclass(frozen=True)
class RoundPlan:
    """What staff set for one round."""

    weight: int
    pass_mark: Decimal | None
    pass_multiple: Decimal | None


def _locked_rounds(call_id) -> list[EvaluationRound]:
    return list(EvaluationRound.objects.select_for_update().filter(call_id=call_id)
                .order_by("order", "pk"))


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def check_plan(rounds, plans: dict[int, RoundPlan], *, committees: bool = True) -> None:
    """Refuses a plan whose weights do not add up to 100%, a pass multiple below 1, a round
    with no committee, or a change to a round whose first review is submitted."""
    errors = []
    for evaluation_round in rounds:
        plan = plans[evaluation_round.pk]
        if plan.pass_multiple is not None and plan.pass_multiple < 1:
            errors.append(_("%(round)s: the pass multiple is %(multiple)s; it must be at least "
                            "1 (1 passes on as many as the track's target).")
                          % {"round": evaluation_round, "multiple": plan.pass_multiple})
        if not 1 <= plan.weight <= HUNDRED:
            errors.append(_("%(round)s: the weight is %(weight)d%%; it must be between 1%% and "
                            "100%%.") % {"round": evaluation_round, "weight": plan.weight})
        current = RoundPlan(evaluation_round.weight, evaluation_round.pass_mark,
                            evaluation_round.pass_multiple)
        if evaluation_round.locked_at is not None and plan != current:
            errors.append(_("%(round)s: its first review was submitted on %(date)s, so its "
                            "weight and pass rule can no longer change.")
                          % {"round": evaluation_round,
                             "date": _when(evaluation_round.locked_at)})
        if (committees and len(rounds) > 1
                and not round_scores.round_committee(evaluation_round).exists()):
            errors.append(_("%(round)s has no committee: name its reviewers in the "
                            "administration, or add reviewers to the call's committee.")
                          % {"round": evaluation_round})
    total = sum(plans[r.pk].weight for r in rounds)
    if total != HUNDRED:
        errors.append(_("The rounds' weights add up to %(total)d%%; they must add up to "
                        "100%%.") % {"total": total})
    if errors:
        raise ValidationError(errors, code="plan")


def set_round_plan(call, plans: dict[int, RoundPlan], *, actor) -> list[EvaluationRound]:
    """Save every round's weight and pass rule at once (``plans``: round id → RoundPlan)."""
    with transaction.atomic():
        rounds = _locked_rounds(call.pk)
        if set(plans) != {r.pk for r in rounds}:
            raise ValidationError(_("The call's rounds changed since the page was opened; "
                                    "reload it."), code="rounds")
        check_plan(rounds, plans)
        for evaluation_round in rounds:
            plan = plans[evaluation_round.pk]
            evaluation_round.weight = plan.weight
            evaluation_round.pass_mark = plan.pass_mark
            evaluation_round.pass_multiple = plan.pass_multiple
            evaluation_round.save(update_fields=["weight", "pass_mark", "pass_multiple"])
    return rounds


def _current(rounds, evaluation_round):
    index = next(i for i, r in enumerate(rounds) if r.pk == evaluation_round.pk)
    previous = rounds[index - 1] if index else None
    following = rounds[index + 1] if index + 1 < len(rounds) else None
    return rounds[index], previous, following


def exempt_application(evaluation_round, application, *, reason: str, actor) -> RoundExemption:
    """Let ``application`` skip the round (not the last): it is not reviewed there and passes
    on when the round closes. Audited with the reason; refused once it has a reviewer in the
    round (release them first)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the exemption."), code="reason")
    with transaction.atomic():
        rounds = _locked_rounds(evaluation_round.call_id)
        current, previous, following = _current(rounds, evaluation_round)
        if following is None:
            raise ValidationError(_("%(round)s is the call's last round: no one is exempt from "
                                    "it.") % {"round": current}, code="last")
        if current.closed_at is not None:
            raise ValidationError(_("%(round)s is closed.") % {"round": current},
                                  code="closed")
        [locked] = Application.objects.select_for_update().filter(pk=application.pk)
        if not round_scores.entrants(current, previous).filter(pk=locked.pk).exists() or \
                locked.call_id != current.call_id:
            raise ValidationError(
                _("Application %(application)s does not take part in %(round)s.")
                % {"application": locked, "round": current}, code="entrant")
        if Assignment.objects.active().filter(round=current, application=locked).exists():
            raise ValidationError(
                _("Application %(application)s has reviewers in %(round)s: release them "
                  "before exempting it.") % {"application": locked, "round": current},
                code="assigned")
        exemption, created = RoundExemption.objects.get_or_create(
            round=current, application=locked, defaults={"reason": reason, "actor": actor})
        if not created:
            raise ValidationError(_("Application %(application)s is already exempt.")
                                  % {"application": locked}, code="duplicate")
    return exemption


def close_round(evaluation_round, *, actor) -> list[RoundResult]:
    """Close a round that has a next one: every entrant's round score, rank, whether it passes
    on and the rule that decided are stored. Refused while any entrant still waits for its
    reviews or has no reviewer (nor an exemption)."""
    with transaction.atomic():
        rounds = _locked_rounds(evaluation_round.call_id)
        current, previous, following = _current(rounds, evaluation_round)
        if following is None:
            raise ValidationError(_("%(round)s is the call's last round: its scores go to the "
                                    "award run, nothing passes on.") % {"round": current},
                                  code="last")
        if current.closed_at is not None:
            raise ValidationError(_("%(round)s was closed on %(date)s.")
                                  % {"round": current, "date": _when(current.closed_at)},
                                  code="closed")
        if previous is not None and current.opened_at is None:
            raise ValidationError(_("%(round)s is not open yet.") % {"round": current},
                                  code="not_open")
        check_plan(rounds, {r.pk: RoundPlan(r.weight, r.pass_mark, r.pass_multiple)
                            for r in rounds}, committees=False)
        outcome = round_scores.pass_on(current, previous)
        if outcome.waiting or outcome.unassigned:
            raise ValidationError(
                _("%(round)s cannot close yet: %(waiting)d applications wait for reviews and "
                  "%(unassigned)d have no reviewer and no exemption.")
                % {"round": current, "waiting": outcome.waiting,
                   "unassigned": outcome.unassigned}, code="open_reviews")
        results = RoundResult.objects.bulk_create([
            RoundResult(round=current, application_id=d.application_id, score=d.score,
                        rank=d.rank, places=d.places, passed=d.passed, rule=d.rule)
            for d in outcome.decisions])
        current.closed_at = timezone.now()
        current.closed_by = actor
        current.save(update_fields=["closed_at", "closed_by"])
    return results


def open_next_round(evaluation_round, *, actor) -> EvaluationRound:
    """Open the round after a closed one for those who passed on: they go back under review
    (those exempt stay eligible until their reviewers are assigned); those who did not pass
    are not selected, and their companies get an email saying so (``notifications``).
    Refused when the next round's rubric is not 100 points or it has no committee."""
    with transaction.atomic():
        rounds = _locked_rounds(evaluation_round.call_id)
        current, _previous, following = _current(rounds, evaluation_round)
        if current.closed_at is None or following is None:
            raise ValidationError(_("Close %(round)s first.") % {"round": current},
                                  code="not_closed")
        if following.opened_at is not None:
            raise ValidationError(_("%(round)s was opened on %(date)s.")
                                  % {"round": following, "date": _when(following.opened_at)},
                                  code="opened")
        check_rubric(following)
        if not round_scores.round_committee(following).exists():
            raise ValidationError(_("%(round)s has no committee: name its reviewers in the "
                                    "administration, or add reviewers to the call's committee.")
                                  % {"round": following}, code="committee")
        results = dict(RoundResult.objects.filter(round=current)
                       .values_list("application_id", "passed"))
        locked = list(Application.objects.select_for_update().filter(pk__in=list(results))
                      .order_by("pk"))
        onward = [a for a in locked if results[a.pk] and a.status == ApplicationStatus.SCORED]
        stopped = [a for a in locked if not results[a.pk]
                   and a.status == ApplicationStatus.SCORED]
        transition_many({a.pk: ApplicationStatus.UNDER_REVIEW for a in onward}, actor=actor,
                        reason=_("Passed on to %(round)s.") % {"round": following})
        mirror(onward, ApplicationStatus.UNDER_REVIEW)
        transition_many({a.pk: ApplicationStatus.NOT_SELECTED for a in stopped}, actor=actor,
                        reason=_("Did not pass %(round)s.") % {"round": current})
        mirror(stopped, ApplicationStatus.NOT_SELECTED)
        if stopped:
            notifications.enqueue_not_passed(current)
        following.opened_at = timezone.now()
        following.opened_by = actor
        following.save(update_fields=["opened_at", "opened_by"])
    return following
