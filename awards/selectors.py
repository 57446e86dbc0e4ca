"""Reads of the awards app that span relations: a run's inputs, confirmed awards, the budget
dashboard, the notices a user may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.fields.json import KT, KeyTransform
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.enums import AWARD_RELEASED, STILL_WAITLISTED, ApplicationStatus
from applications.models import Application, PlanVersion
from companies.selectors import company_id_of
from outbox.models import Message, Status
from programs.enums import FundingSource
from programs.models import BudgetLine, Call, Track
from programs.money import SOURCE_ORDER, TrackRules
from reviews.calibration import round_fairness
from reviews.enums import ScoreBasis
from reviews.round_scores import call_rounds, final_scores
from reviews.selectors import round_reviews, score_basis

from .enums import NoticeStatus, Outcome, RunStatus
from .models import AwardRun, Notice, ResultLine, notices_group

SOURCES = tuple(source.value for source in SOURCE_ORDER)
# Applications whose evaluation is not finished: a run now would leave them out.
OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE,
                 ApplicationStatus.UNDER_REVIEW)


def confirmed_lines(call: Call):
    """Result lines of the call's confirmed runs whose award the budget lines hold: selected
    ones whose application has not declined, lapsed or been cancelled since, and waitlisted
    ones whose application was promoted (and has not left either)."""
    return ResultLine.objects.filter(
        Q(outcome=Outcome.SELECTED) & ~Q(application__status__in=AWARD_RELEASED)
        | Q(outcome=Outcome.WAITLISTED)
        & ~Q(application__status__in=(*AWARD_RELEASED, *STILL_WAITLISTED)),
        run__call=call, run__status=RunStatus.CONFIRMED)


def confirmed_awards(call: Call) -> dict[str, int]:
    """What confirmed runs award on each funding source of the call."""
    totals = confirmed_lines(call).aggregate(**{source: Sum(source) for source in SOURCES})
    return {source: totals[source] or 0 for source in SOURCES}


def run_awards(run: AwardRun) -> dict[str, int]:
    """What ``run`` awards (selected lines) on each funding source."""
    totals = run.lines.filter(outcome=Outcome.SELECTED).aggregate(
        **{source: Sum(source) for source in SOURCES})
    return {source: totals[source] or 0 for source in SOURCES}


def open_call_warning(call: Call) -> str:
    """A call still taking applications can be awarded (nothing pending blocks it), but the
    run leaves out whatever is submitted later: staff are told so."""
    if not call.is_open:
        return ""
    closes = timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")
    return _("Applications are still open until %(closes)s: a run now leaves out anything "
             "submitted later.") % {"closes": closes}


def refusal_reason(call: Call) -> str:
    """Why an award run of ``call`` cannot start now (applications still being screened or
    reviewed, or none scored), or an empty string."""
    counts = dict(Application.objects.filter(call=call).order_by().values_list("status")
                  .annotate(n=Count("pk")))
    open_count = sum(counts.get(status, 0) for status in OPEN_STATUSES)
    if open_count:
        return ngettext(
            "%(count)d application of this call is still being screened or reviewed; an award "
            "run can start once every application is scored.",
            "%(count)d applications of this call are still being screened or reviewed; an "
            "award run can start once every application is scored.",
            open_count) % {"count": open_count}
    if not counts.get(ApplicationStatus.SCORED):
        return _("No application of this call is scored: there is nothing to award.")
    return ""


def _source_index(source: str) -> int:
    return SOURCES.index(source) if source in SOURCES else len(SOURCES)


class InputsIncomplete(Exception):
    """The call's scored applications cannot all be awarded (a score or plan is missing)."""


def run_inputs(call: Call, *, reviews=None) -> dict:
    """Everything an award run of ``call`` is computed from, as JSON-able values.

    Scores come from ``reviews.selectors.call_scores`` (scored applications only), costs from
    each application's latest plan version, rules from the tracks, and what the budget lines
    have left after the call's confirmed runs. ``awards.allocation.allocate_stored`` computes
    the result from this dict alone. ``reviews``: ``scoring_reviews(call)``, when the caller
    has read them (the computation task reads them once for the scores and the stability).
    """
    call = Call.objects.get(pk=call.pk)  # fresh figures (cut-off, cash share) under a lock
    tracks = list(Track.objects.filter(call=call).select_related("call")
                  .prefetch_related("shares").order_by("order", "pk"))
    selected = dict(confirmed_lines(call).order_by().values_list("track_id")
                    .annotate(n=Count("pk")))
    committed = confirmed_awards(call)
    budget_lines = sorted(BudgetLine.objects.filter(call=call),
                          key=lambda line: (_source_index(line.source), line.pk))

    # One round: reviews.selectors.call_scores as always; rounds: the weighted final score.
    rounds = call_rounds(call)
    scores = final_scores(call, statuses=[ApplicationStatus.SCORED], rounds=rounds,
                          reviews=reviews)
    basis = score_basis(call)
    advice = {}
    if basis == ScoreBasis.CALIBRATED and scores:
        # A call allocated by the calibrated score has one round (one with more is refused).
        advice = round_fairness(rounds[0], statuses=[ApplicationStatus.SCORED],
                                reviews=reviews if len(rounds) == 1 else None).applications
    plans = latest_plans(call)
    scored_ids = set(Application.objects.filter(call=call, status=ApplicationStatus.SCORED)
                     .values_list("pk", flat=True))
    unscored = scored_ids - {score.application_id for score in scores}
    no_plan = scored_ids - set(plans)
    if unscored or no_plan:
        raise InputsIncomplete(_(
            "Every scored application needs a score and a submitted plan: %(scores)d have no "
            "submitted review and %(plans)d no plan version.")
            % {"scores": len(unscored), "plans": len(no_plan)})
    candidates = []
    for score in scores:
        plan = plans[score.application_id]
        calibrated = advice.get(score.application_id)
        candidates.append({
            "application_id": score.application_id,
            "track_id": score.track_id,
            # The score that allocates: the rule's, or the calibrated one if the call chose it
            # (its rule score stays under "score").
            "final_score": str(calibrated.calibrated_final if calibrated else score.final_score),
            "rank": calibrated.calibrated_rank if calibrated else score.rank,
            "project_cost": plan["total_cost"],
            "planned_in_kind": plan["in_kind"],
            "plan_version_id": plan["pk"],
            "members": plan["members"],
            "score": {
                "reviewer_count": score.reviewer_count,
                "totals": [str(total) for total in score.totals],
                "base_score": str(score.base_score),
                "bonus": str(score.bonus),
                "first_criterion_mean": str(score.first_criterion_mean),
                "submitted_at": score.submitted_at.isoformat() if score.submitted_at else None,
                "above_cutoff": score.above_cutoff,
                **({"final_score": str(score.final_score), "rank": score.rank,
                    "calibrated_base": str(calibrated.calibrated_base)} if calibrated else {}),
                # A call evaluated in rounds: (round id, weight, round score or None).
                **({"rounds": [[pk, weight, None if value is None else str(value)]
                               for pk, weight, value in score.round_scores]}
                   if len(rounds) > 1 else {}),
            },
        })
    call_inputs = {
        "id": call.pk, "code": call.code, "rounding_unit": call.rounding_unit,
        "cutoff_score": str(call.cutoff_score), "min_cash_share": str(call.min_cash_share),
    }
    if basis == ScoreBasis.CALIBRATED:  # a rule-score run's inputs stay as they always were
        call_inputs["score_basis"] = ScoreBasis.CALIBRATED.value
    if len(rounds) > 1:  # so do a one-round call's
        call_inputs["rounds"] = [{"id": r.pk, "order": r.order, "weight": r.weight}
                                 for r in rounds]
    return {
        "call": call_inputs,
        "tracks": [
            {"id": track.pk, "order": track.order, "name": track.name,
             "target": track.target_count, "already_selected": selected.get(track.pk, 0),
             "rules": TrackRules.for_track(track).as_dict()}
            for track in tracks
        ],
        "budget_lines": [
            {"id": line.pk, "source": line.source, "amount": line.amount,
             "committed": committed.get(line.source, 0)}
            for line in budget_lines
        ],
        "candidates": candidates,
    }


def scoring_reviews(call: Call) -> list[tuple]:
    """``(reviewer id, application id, total, first-criterion points)`` of every submitted
    review of the call's scored applications in the round whose reviews decide (the last):
    what the run's scores and the stability of its decisions are computed from. Two queries
    (one when the call has no round)."""
    rounds = call_rounds(call)
    if not rounds:
        return []
    return round_reviews(rounds[-1], statuses=[ApplicationStatus.SCORED])


def latest_plans(call: Call) -> dict[int, dict]:
    """The latest plan version of each scored application of ``call``: its id, total cost,
    the contribution in kind the company planned (``data["plan"]``, as
    ``applications.services.plan_snapshot`` freezes it) and, for a cluster's application,
    its member companies' parts (``data["members"]``, as ``cluster_services`` freezes them)."""
    rows = (PlanVersion.objects
            .filter(application__call=call, application__status=ApplicationStatus.SCORED)
            .order_by("application_id", "-number")
            .values("pk", "application_id", "total_cost",
                    in_kind=KT("data__plan__contribution_in_kind"),
                    members=KeyTransform("members", "data")))
    plans = {}
    for row in rows:
        if row["application_id"] in plans:
            continue
        parts = row["members"]
        if parts:  # a cluster's application
            members = [
                {"company_id": m.get("company_id"), "company": m.get("company", ""),
                 "registration_number": m.get("registration_number", ""),
                 "cost": int(m["cost"])}
                for m in parts
            ]
            in_kind = sum(int(m.get("contribution_in_kind") or 0) for m in parts)
        else:
            members, in_kind = [], int(row["in_kind"] or 0)
        plans[row["application_id"]] = {"pk": row["pk"], "total_cost": row["total_cost"],
                                        "in_kind": in_kind, "members": members}
    return plans


def runs_of_call(call: Call):
    return (AwardRun.objects.filter(call=call).select_related("started_by", "confirmed_by")
            .annotate(line_count=Count("lines"),
                      selected_count=Count("lines", filter=Q(lines__outcome=Outcome.SELECTED)))
            .order_by("-started_at", "-pk"))


def award_calls(calls):
    """``calls`` (already scoped to the user) with their region and confirmed-run count."""
    return (calls.select_related("region", "programme")
            .annotate(run_count=Count("award_runs", distinct=True),
                      confirmed_count=Count("award_runs", distinct=True,
                                            filter=Q(award_runs__status=RunStatus.CONFIRMED)))
            .order_by("programme", "code"))


@dataclass(frozen=True)
class SourceUse:
    source: str
    label: str
    available: int  # what the line had left for this run when it was computed
    awarded: int  # what this run awards on it

    @property
    def remaining(self) -> int:
        return self.available - self.awarded


@dataclass(frozen=True)
class RunSummary:
    counts: dict[str, int]
    sources: list[SourceUse]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def run_summary(run: AwardRun) -> RunSummary:
    """Outcomes counted, and each budget line's availability against what the run awards
    (without loading the run's stored candidates)."""
    counts = dict(run.lines.order_by().values_list("outcome").annotate(n=Count("pk")))
    stored = (AwardRun.objects.filter(pk=run.pk).values_list("inputs__budget_lines", flat=True)
              .first()) or []
    awarded = run_awards(run)
    labels = dict(FundingSource.choices)
    sources = [SourceUse(source=line["source"], label=labels.get(line["source"], line["source"]),
                         available=line["amount"] - line["committed"],
                         awarded=awarded.get(line["source"], 0))
               for line in stored]
    sources.sort(key=lambda use: _source_index(use.source))
    return RunSummary(counts={outcome: counts.get(outcome, 0) for outcome in Outcome.values},
                      sources=sources)


def run_lines(run: AwardRun):
    return (run.lines.select_related("application__company", "track")
            .order_by("position"))


@dataclass(frozen=True)
class NoticeProgress:
    total: int
    pending: int
    queued: int
    generated: int
    sent: int
    failed: int

    @property
    def done(self) -> int:
        return self.generated + self.sent

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.sent == self.total

    @property
    def in_flight(self) -> bool:
        """Notices still to make or email (not sent, not given up on): the page polls."""
        return self.sent + self.failed < self.total

    @property
    def percent(self) -> int:
        return (100 * self.done) // self.total if self.total else 0


def notice_progress(run: AwardRun) -> NoticeProgress:
    """Notices by status; *pending* counts those whose task or email the broker has refused
    so far (it waits in the outbox for the broker to return)."""
    counts = dict(run.notices.order_by().values_list("status").annotate(n=Count("pk")))
    total = sum(counts.values())
    pending = 0
    if counts.get(NoticeStatus.SENT, 0) < total:
        pending = (Message.objects.filter(group=notices_group(run.pk), status=Status.PENDING)
                   .exclude(last_error="").count())
    return NoticeProgress(
        total=total,
        pending=pending,
        queued=counts.get(NoticeStatus.QUEUED, 0),
        generated=counts.get(NoticeStatus.GENERATED, 0),
        sent=counts.get(NoticeStatus.SENT, 0),
        failed=counts.get(NoticeStatus.FAILED, 0),
    )


@dataclass(frozen=True)
class LineUse:
    source: str
    label: str
    amount: int
    allocated: int

    @property
    def remaining(self) -> int:
        return self.amount - self.allocated

    @property
    def percent(self) -> int:
        if not self.amount:
            return 100 if self.allocated else 0
        return min(100, (100 * self.allocated) // self.amount)


@dataclass(frozen=True)
class TrackUse:
    track: Track
    selected: int
    waitlisted: int

    @property
    def target(self) -> int | None:
        return self.track.target_count

    @property
    def percent(self) -> int:
        if not self.target:
            return 0
        return min(100, (100 * self.selected) // self.target)


@dataclass(frozen=True)
class BudgetDashboard:
    call: Call
    lines: list[LineUse]
    tracks: list[TrackUse]

    @property
    def allocated(self) -> int:
        return sum(line.allocated for line in self.lines)

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def remaining(self) -> int:
        return self.amount - self.allocated


def budget_dashboard(call: Call) -> BudgetDashboard:
    """Each budget line's confirmed awards and what remains, and each track's selected and
    waitlisted companies against its target (confirmed runs only). Four queries."""
    allocated = confirmed_awards(call)
    lines = [LineUse(source=line.source, label=line.get_source_display(), amount=line.amount,
                     allocated=allocated.get(line.source, 0))
             for line in BudgetLine.objects.filter(call=call)]
    lines.sort(key=lambda line: _source_index(line.source))
    counts = defaultdict(dict)
    rows = (ResultLine.objects.filter(run__call=call, run__status=RunStatus.CONFIRMED)
            .order_by().values_list("track_id", "outcome").annotate(n=Count("pk")))
    for track_id, outcome, n in rows:
        counts[track_id][outcome] = n
    tracks = [TrackUse(track=track, selected=counts[track.pk].get(Outcome.SELECTED, 0),
                       waitlisted=counts[track.pk].get(Outcome.WAITLISTED, 0))
              for track in Track.objects.filter(call=call).order_by("order", "pk")]
    return BudgetDashboard(call=call, lines=lines, tracks=tracks)


def notices_for_user(user):
    """Notices ``user`` may download: every generated one for staff, its company's for a
    company member, none for anyone else."""
    ready = Notice.objects.filter(generated_at__isnull=False).exclude(file="")
    if not user.is_authenticated:
        return Notice.objects.none()
    if user.is_staff:
        return ready
    company_id = company_id_of(user)
    if company_id is None:
        return Notice.objects.none()
    return ready.filter(application__company_id=company_id)


def company_notices(user):
    """The generated notices of ``user``'s company, newest first; None when the user acts for
    no company."""
    company_id = company_id_of(user)
    if company_id is None:
        return None
    return list(
        notices_for_user(user).filter(application__company_id=company_id)
        .select_related("application__call", "line__track")
        .order_by("-generated_at", "-pk"))


def notice_for_display(queryset, **lookup) -> Notice:
    """One notice with what the verification page shows (not its run's stored inputs:
    megabytes of JSON at 10,000 applications)."""
    return (queryset.select_related("run", "line", "line__track", "application__company",
                                    "application__call__region",
                                    "application__call__programme")
            .defer("run__inputs")
            .get(**lookup))


def verifiable_notices():
    """Notices whose code the public verification page confirms: generated ones."""
    return Notice.objects.filter(generated_at__isnull=False).exclude(file="")

