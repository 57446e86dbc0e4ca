"""Writes of the awards app: start, compute and confirm award runs; queue, generate and email
notices.

- ``start_run`` records a run and queues its computation; ``compute_run`` (the Celery task's
  body) gathers the inputs, allocates and stores every result line — a preview: nothing
  changes on any application.
- ``confirm_run`` applies a preview in one transaction: it locks the call's budget lines, checks
  that confirmed awards plus this run's stay within every line and that the inputs have not
  changed since the preview, moves each application through ``applications.services
  .transition`` and creates the notices, queued after the commit.
- ``deliver_notice`` (a task body) is idempotent: a notice's PDF is made once and its email
  written to the outbox once, however often the batch runs.

Every task and email goes through the outbox (``outbox.services``): written in the transaction
that causes it, published after the commit, published again by beat when the broker was away.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import JSONField, Value
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
from applications.services import transition, transition_many
from companies.models import Membership
from outbox import services as outbox
from outbox.models import Message
from portal import bulk
from portal.collector import cyclic_collection_paused
from portal.state import change_state
from programs.models import BudgetLine, Call

from . import selectors
from .allocation import (
    allocate_stored,
    canonical_json,
    inputs_hash,
    rule_version_for,
    stored_plan,
)
from .enums import NOTICE_TRANSITIONS, RUN_TRANSITIONS, NoticeStatus, RunStatus
from .models import (
    AwardRun,
    AwardRunStateChange,
    Notice,
    NoticeStateChange,
    ResultLine,
    new_verification_code,
    notices_group,
)
from .stability import Scored, calibrated_stability, shares_of, stability

logger = logging.getLogger(__name__)

COMPUTE_TASK = "awards.compute_award_run"
NOTICE_TASK = "awards.generate_notice"


def computation_key(run: AwardRun) -> str:
    return f"award-run-{run.pk}-compute"


def recorded_language():
    """Texts stored for the record (audit reasons, a run's refusal) are in the site's default
    language, whoever's request or which worker wrote them."""
    return translation.override(settings.LANGUAGE_CODE)


class AwardRunRefused(ValidationError):
    """A run cannot start or be confirmed; the message says why, in the user's language."""


# --- Runs ---------------------------------------------------------------------------------

class StatusChangeRefused(ValidationError):
    """A run or notice cannot make that move (``RUN_TRANSITIONS``, ``NOTICE_TRANSITIONS``)."""


def change_run_status(run: AwardRun, to_status: str, *, actor=None, reason: str = "",
                      fields: dict | None = None, if_from=None) -> AwardRun:
    """The one way a run changes state: checked against ``RUN_TRANSITIONS``, with its audit
    row (``AwardRunStateChange``) in the same transaction."""
    return change_state(
        run, to_status, choices=RunStatus, transitions=RUN_TRANSITIONS,
        audit_model=AwardRunStateChange, audit_field="run", refused=StatusChangeRefused,
        refusal=_("An award run cannot go from “%(from)s” to “%(to)s”."), actor=actor,
        reason=reason, fields=fields, if_from=if_from)


def change_notice_status(notice: Notice, to_status: str, *, actor=None, reason: str = "",
                         fields: dict | None = None, if_from=None) -> Notice:
    """The one way a notice changes state (``NOTICE_TRANSITIONS``, ``NoticeStateChange``)."""
    return change_state(
        notice, to_status, choices=NoticeStatus, transitions=NOTICE_TRANSITIONS,
        audit_model=NoticeStateChange, audit_field="notice", refused=StatusChangeRefused,
        refusal=_("A notice cannot go from “%(from)s” to “%(to)s”."), actor=actor,
        reason=reason, fields=fields, if_from=if_from)


def start_run(call: Call, *, user) -> AwardRun:
    """Record a new award run of ``call`` started by ``user`` and queue its computation."""
    reason = selectors.refusal_reason(call)
    if reason:
        raise AwardRunRefused(reason, code="refused")
    with transaction.atomic():
        run = AwardRun.objects.create(call=call, started_by=user)
        outbox.enqueue_task(COMPUTE_TASK, run.pk, key=computation_key(run))
    return run


def queue_computation(run: AwardRun) -> bool:
    """Publish the computation task again (the retry action); False (the run stays
    *computing*) when the broker still cannot be reached. Beat publishes it by itself too."""
    _published, pending = outbox.republish(Message.objects.filter(key=computation_key(run)))
    return not pending


def record_run_failure(run_id: int, error: str) -> None:
    """The computation gave up after its retries: the run is refused, with the error."""
    with recorded_language():
        reason = _("The computation failed: %(error)s") % {"error": error[:2000]}
    change_run_status(AwardRun(pk=run_id, status=RunStatus.QUEUED), RunStatus.REFUSED,
                      reason=reason, if_from={RunStatus.QUEUED},
                      fields={"computed_at": timezone.now(), "refusal_reason": reason})


def compute_run(run_id: int) -> AwardRun:
    """Compute a queued run: gather its inputs, allocate, store the result lines.

    Idempotent: a run that is no longer queued is returned as it is. A run whose call cannot
    be awarded now (reviews still open, nothing scored) is marked refused, with the reason.
    """
    with transaction.atomic(), cyclic_collection_paused():
        run = (AwardRun.objects.select_for_update(of=("self",)).select_related("call")
               .get(pk=run_id))
        if run.status != RunStatus.QUEUED:
            return run
        with recorded_language():
            reason = selectors.refusal_reason(run.call)
            inputs = reviews = None
            if not reason:
                reviews = selectors.scoring_reviews(run.call)  # read once: scores, stability
                try:
                    inputs = selectors.run_inputs(run.call, reviews=reviews)
                except selectors.InputsIncomplete as exc:
                    reason = str(exc)
        if reason:
            return change_run_status(run, RunStatus.REFUSED, reason=reason,
                                     fields={"refusal_reason": reason,
                                             "computed_at": timezone.now()})
        store_result(run, inputs, reviews=reviews)
    return run


def decision_stability(call, inputs: dict, allocation, reviews=None, *, plan=None) -> dict:
    """Each application's stability (``awards.stability``) for the run: by the rule score, or,
    for a run allocated by the calibrated score, with the committee recalibrated in each
    recomputation (``calibrated_stability``). ``reviews``: ``selectors.scoring_reviews``,
    read here when not given; ``plan``: ``stored_plan(inputs)``, when the caller has it."""
    if not inputs["candidates"]:
        return {}
    calibrated = inputs["call"].get("score_basis") == "calibrated"
    if reviews is None:
        reviews = selectors.scoring_reviews(call)
    by_application = defaultdict(list)
    for reviewer_id, application_id, total, first in reviews:
        by_application[application_id].append((reviewer_id, total, first))
    reviews = by_application
    tracks, budget, cutoff, candidates = plan or stored_plan(inputs)
    applications = [  # stored_plan keeps the stored candidates' order
        Scored(application_id=c.application_id, track_id=c.track_id,
               reviews=tuple(reviews.get(c.application_id, ())),
               bonus=Decimal(stored["score"]["bonus"]),
               submitted_at=_moment(stored["score"]["submitted_at"]),
               candidate=c, **_round_weighting(stored["score"]))
        for stored, c in zip(inputs["candidates"], candidates, strict=True)]
    outcomes = {line.application_id: line.outcome for line in allocation.lines}
    measure = calibrated_stability if calibrated else stability
    return measure(tracks, budget, cutoff, applications, outcomes, shares_of(allocation))


def _round_weighting(score: dict) -> dict:
    """A call evaluated in rounds: the earlier rounds' weight × score held, the weights of the
    rounds the application took, the last round's weight (``stability.Scored``)."""
    rounds = score.get("rounds")
    if not rounds:
        return {}
    *earlier, (_last, weight, _score) = rounds
    taken = [(w, Decimal(value)) for _pk, w, value in earlier if value is not None]
    return {"earlier": sum((w * value for w, value in taken), Decimal(0)),
            "weights": sum(w for w, _value in taken) + weight, "weight": weight}


def _moment(value):
    return datetime.fromisoformat(value) if value else None


def store_result(run: AwardRun, inputs: dict, allocation=None, *, reviews=None) -> None:
    """Store ``inputs`` and every result line of their allocation on ``run`` (a preview), each
    with the stability of its decision (``reviews``: as ``decision_stability`` takes them)."""
    plan = stored_plan(inputs)  # read once for the allocation and the stability
    allocation = allocation or allocate_stored(inputs, plan=plan)
    steady = decision_stability(run.call, inputs, allocation, reviews, plan=plan)
    track_sizes = Counter(line.track_id for line in allocation.lines)
    member_parts = {c["application_id"]: c.get("members", []) for c in inputs["candidates"]
                    if c.get("members")}
    row = ResultLine(run_id=run.pk)
    insert_lines(
        [
            bulk.copy_of(
                row, application_id=line.application_id, track_id=line.track_id,
                position=position, outcome=line.outcome, rank=line.rank,
                track_size=track_sizes[line.track_id],
                waitlist_position=line.waitlist_position, final_score=line.final_score,
                stability=steady.get(line.application_id),
                project_cost=line.support.project_cost,
                eligible_cost=line.support.eligible_cost,
                national=line.shares.get("national", 0),
                provincial=line.shares.get("provincial", 0),
                municipal=line.shares.get("municipal", 0),
                contribution_cash=line.contribution_cash,
                contribution_in_kind=line.contribution_in_kind,
                members=member_results(member_parts.get(line.application_id, []),
                                       line.members),
            )
            for position, line in enumerate(allocation.lines, start=1)
        ]
    )
    # The inputs are encoded once: their canonical text is hashed and stored as it is (4 MB at
    # 10,000 applications; the JSON field would encode them a second time).
    rule_version = rule_version_for(inputs)
    text = canonical_json(inputs)
    change_run_status(run, RunStatus.PREVIEW, fields={
        "inputs": Cast(Value(text), output_field=JSONField()), "rule_version": rule_version,
        "inputs_hash": inputs_hash(inputs, rule_version, canonical=text),
        "cutoff_score": Decimal(inputs["call"]["cutoff_score"]),
        "min_cash_share": Decimal(inputs["call"]["min_cash_share"]),
        "computed_at": timezone.now()})
    run.inputs = inputs


def insert_lines(lines: list[ResultLine]) -> None:
    """Insert a run's result lines: with COPY on PostgreSQL (10,000 lines in a fraction of
    what ``bulk_create`` takes to build its statements), ``bulk_create`` elsewhere. Either
    way inside the caller's transaction, and every database check still applies."""
    bulk.insert(ResultLine, lines)


def member_results(parts: list[dict], supports) -> list[dict]:
    """A cluster's member companies with the support each receives (JSON for the line)."""
    return [
        {"company": part["company"], "registration_number": part["registration_number"],
         "cost": support.project_cost, "eligible_cost": support.eligible_cost,
         "shares": dict(support.shares), "support_total": support.total,
         "contribution": support.contribution}
        for part, support in zip(parts, supports, strict=True)
    ]


def confirm_run(run: AwardRun, *, user) -> AwardRun:
    """Apply a previewed run: every application moves to its outcome, in one transaction.

    The call's budget lines are locked first (every confirmation takes the same locks in the
    same order), so two confirmations of the same call are serialised: the second sees what
    the first applied and is refused if a budget line would be exceeded, if the run is no
    longer a preview or if its inputs changed since the preview.
    """
    with transaction.atomic():
        lines = {line.source: line for line in
                 BudgetLine.objects.select_for_update().filter(call_id=run.call_id)
                 .order_by("pk")}
        run = (AwardRun.objects.select_for_update(of=("self",))
               .select_related("call", "confirmed_by")
               .defer("inputs")  # megabytes of JSON that the confirmation does not read
               .get(pk=run.pk))
        if run.status == RunStatus.CONFIRMED:
            raise AwardRunRefused(
                _("This run was already confirmed by %(user)s at %(when)s.")
                % {"user": run.confirmed_by,
                   "when": timezone.localtime(run.confirmed_at).strftime("%Y-%m-%d %H:%M")},
                code="confirmed")
        if run.status != RunStatus.PREVIEW:
            raise AwardRunRefused(_("Only a computed preview can be confirmed."),
                                  code="not_preview")
        check_budget(run, lines)
        try:
            current = selectors.run_inputs(run.call)
        except selectors.InputsIncomplete as exc:
            raise AwardRunRefused(str(exc), code="incomplete") from exc
        if inputs_hash(current, run.rule_version) != run.inputs_hash:
            raise AwardRunRefused(
                _("Scores, plans, rules or budgets of this call have changed since this "
                  "preview was computed (or another run was confirmed). Start a new run."),
                code="stale")
        apply_run(run, user=user)
    return run


def check_budget(run: AwardRun, lines: dict[str, BudgetLine]) -> None:
    confirmed = selectors.confirmed_awards(run.call)
    mine = selectors.run_awards(run)
    for source, amount in mine.items():
        if not amount:
            continue
        line = lines.get(source)
        limit = line.amount if line else 0
        if confirmed[source] + amount > limit:
            label = line.get_source_display() if line else source
            raise AwardRunRefused(
                _("The budget line “%(line)s” would be exceeded: %(confirmed)s won already "
                  "confirmed plus %(run)s won in this run is more than its %(limit)s won. "
                  "Another run may have been confirmed meanwhile; start a new run.")
                % {"line": label, "confirmed": f"{confirmed[source]:,}",
                   "run": f"{amount:,}", "limit": f"{limit:,}"},
                code="budget")


def apply_run(run: AwardRun, *, user) -> None:
    with recorded_language():
        reason = _("Award run #%(run)d (rule version %(version)s)") % {
            "run": run.pk, "version": run.rule_version}
    result_lines = list(run.lines.order_by("position")
                        .values_list("pk", "application_id", "outcome", named=True))
    transition_many({line.application_id: line.outcome for line in result_lines},
                    actor=user, reason=reason)
    change_run_status(run, RunStatus.CONFIRMED, actor=user, reason=reason,
                      fields={"confirmed_by": user, "confirmed_at": timezone.now()})
    row = Notice(run_id=run.pk)  # each notice a copy of it with its own line and code
    bulk.insert(Notice, [bulk.copy_of(row, application_id=line.application_id, line_id=line.pk,
                                      kind=line.outcome, code=new_verification_code())
                         for line in result_lines])
    ids = list(run.notices.order_by("line__position").values_list("pk", flat=True))
    # One insert for every notice's task, published after the commit (by a worker when many);
    # with no broker they are made while the run's page polls its progress, not in this request.
    outbox.enqueue_tasks(NOTICE_TASK, [[pk] for pk in ids],
                         keys=[f"notice-{pk}-generate" for pk in ids],
                         group=notices_group(run.pk), background=True)


# --- Notices ------------------------------------------------------------------------------

def queue_notices(run: AwardRun) -> tuple[int, int]:
    """Publish again every unfinished task and email of ``run``'s notices (the *send pending
    notices* action; beat does the same by itself); returns (queued, pending) in notices.

    A notice already sent is left alone, one generated only has its email published again.
    When the broker cannot be reached the rest stay pending: nothing is lost.
    """
    unsent = run.notices.exclude(status=NoticeStatus.SENT).count()
    _published, pending = outbox.republish(
        Message.objects.filter(group=notices_group(run.pk)))
    return unsent - pending, pending


def deliver_notice(notice_id: int) -> Notice:
    """Generate and store a notice's PDF (once), mark the application notified and queue the
    email after the commit. Safe to run again at any point: the notice's row lock makes a
    second task wait, then find the PDF made."""
    from .notices import notice_queryset, render_notice

    with transaction.atomic():
        notice = notice_queryset().select_for_update(of=("self",)).get(pk=notice_id)
        if notice.status == NoticeStatus.SENT:
            return notice
        if not notice.is_ready:
            notice.generated_at = timezone.now()
            pdf = render_notice(notice)
            if notice.file:
                notice.file.delete(save=False)
            notice.file.save(f"{notice.code}.pdf", ContentFile(pdf), save=False)
            change_notice_status(notice, NoticeStatus.GENERATED, fields={
                "file": notice.file, "generated_at": notice.generated_at,
                "attempts": notice.attempts + 1, "last_error": ""})
            if notice.application.status == notice.kind:
                with recorded_language():
                    reason = _("Notice %(code)s issued") % {"code": notice.code}
                transition(notice.application, ApplicationStatus.NOTIFIED, reason=reason)
        if notice.emailed_at is None:
            enqueue_notice_email(notice)
    return notice


def enqueue_notice_email(notice: Notice) -> None:
    """Write the email telling the company's members that their notice is ready (once: its key
    is the notice's); with no member to tell, the notice counts as sent at once."""
    recipients = list(
        Membership.objects.filter(company_id=notice.application.company_id)
        .order_by("pk").values_list("user__email", flat=True))
    subject, body = notice_email(notice)
    message = outbox.enqueue_email(
        to=recipients, subject=subject, body=body, key=f"notice-{notice.pk}-email",
        group=notices_group(notice.run_id), after_sent=NOTICE_EMAILED, ref=notice.pk)
    if message is None:
        change_notice_status(notice, NoticeStatus.SENT, if_from={NoticeStatus.GENERATED},
                             reason=_("No member to email."),
                             fields={"emailed_at": timezone.now()})


NOTICE_EMAILED = "awards.notice_emailed"


@outbox.after_sent(NOTICE_EMAILED)
def notice_emailed(message: Message) -> None:
    """In the transaction that sends the email: the notice is sent."""
    change_notice_status(Notice(pk=message.payload["ref"], status=NoticeStatus.GENERATED),
                         NoticeStatus.SENT, if_from={NoticeStatus.GENERATED},
                         fields={"emailed_at": message.done_at})


def notice_email(notice: Notice) -> tuple[str, str]:
    """The notice email's subject and body (in Korean, the language of the notices)."""
    with translation.override("ko"):
        context = {
            "notice": notice,
            "application": notice.application,
            "dashboard_url": settings.SITE_URL + reverse("dashboard"),
            "verify_url": settings.SITE_URL + reverse("awards:notice_verify", args=[notice.code]),
        }
        subject = render_to_string("awards/email/notice_subject.txt", context).strip()
        body = render_to_string("awards/email/notice_body.txt", context)
    return subject, body


def record_notice_failure(notice_id: int, error: str) -> None:
    """A notice's task gave up after its retries: show it as failed, with the error (and
    count the attempt: ``attempts`` is the failures recorded plus the one that succeeded)."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.generated_at is not None:
            return
        change_notice_status(notice, NoticeStatus.FAILED, reason=error[:2000],
                             if_from={NoticeStatus.PENDING, NoticeStatus.QUEUED,
                                      NoticeStatus.FAILED},
                             fields={"last_error": error[:2000],
                                     "attempts": notice.attempts + 1})

