"""Promotion runs (추가 선정): what each track has freed, the waitlist in order, a run previewed
then confirmed under the budget-line locks, and the additional selection notices it sends
(DOMAIN §9; the greedy itself is ``promotion.py``)."""


from __future__ import annotations

import hashlib
import json
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
from applications.services import transition_many
from outbox import services as outbox
from portal.state import change_state
from programs.models import BudgetLine, Track

from . import notifications, selectors
from .enums import (
    NOTICE_TRANSITIONS,
    PROMOTION_TRANSITIONS,
    NoticeStatus,
    PromotionStatus,
)
from .models import (
    AdditionalNotice,
    AdditionalNoticeEvent,
    PromotionLine,
    PromotionRun,
    PromotionRunEvent,
)
from .promotion import RULE_VERSION, Waitlisted, promote
from .services import Refused, lock_budget_lines, open_agreement, recorded_language

S = ApplicationStatus
ADDITIONAL_NOTICE_TASK = "projects.generate_additional_notice"


def promotion_inputs(track: Track, lines: list[BudgetLine] | None = None) -> dict:
    free = selectors.free_on_lines(track.call, lines)
    places = None
    if track.target_count is not None:
        places = max(track.target_count - selectors.held_count(track), 0)
    candidates = [
        {"application_id": line.application_id, "result_line_id": line.pk,
         "waitlist_position": line.waitlist_position,
         "shares": {"national": line.national, "provincial": line.provincial,
                    "municipal": line.municipal}}
        for line in selectors.waitlist(track)]
    return {"call": track.call_id, "track": track.pk, "free": free, "places": places,
            "candidates": candidates}


def inputs_hash(inputs: dict) -> str:
    text = json.dumps({"rule_version": RULE_VERSION, "inputs": inputs}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def compute_promotion(inputs: dict):
    candidates = [Waitlisted(c["application_id"], c["waitlist_position"], c["shares"])
                  for c in inputs["candidates"]]
    return promote(candidates, inputs["free"], inputs["places"])


def start_promotion(track: Track, *, user, today: date | None = None) -> PromotionRun:
    """Preview a promotion of ``track``: nothing changes on any application until it is
    confirmed."""
    track = Track.objects.select_related("call").get(pk=track.pk)
    refusal = selectors.promotion_refusal(track, today=today)
    if refusal:
        raise Refused(refusal, code="closed")
    inputs = promotion_inputs(track)
    if not inputs["candidates"]:
        raise Refused(_("Nobody is waitlisted in this track."), code="empty")
    result = compute_promotion(inputs)
    promoted = set(result.promoted_ids)
    with transaction.atomic():
        run = PromotionRun.objects.create(call=track.call, track=track, started_by=user,
                                          rule_version=RULE_VERSION, inputs=inputs,
                                          inputs_hash=inputs_hash(inputs))
        PromotionLine.objects.bulk_create([
            PromotionLine(run=run, application_id=c["application_id"],
                          result_line_id=c["result_line_id"],
                          waitlist_position=c["waitlist_position"],
                          promoted=c["application_id"] in promoted, **c["shares"])
            for c in inputs["candidates"]])
    return run


def confirm_promotion(run: PromotionRun, *, user, today: date | None = None) -> PromotionRun:
    """Apply a previewed promotion in one transaction, under the call's budget-line locks: a
    second confirmation of the same track at the same time waits, then finds the figures
    changed and is refused; no line ever holds more than its amount."""
    with transaction.atomic():
        lines = lock_budget_lines(run.call_id)
        run = (PromotionRun.objects.select_for_update(of=("self",))
               .select_related("track__call", "confirmed_by").get(pk=run.pk))
        if run.status == PromotionStatus.CONFIRMED:
            raise Refused(_("This promotion was already confirmed by %(user)s at %(when)s.")
                          % {"user": run.confirmed_by,
                             "when": selectors.korea_time(run.confirmed_at)},
                          code="confirmed")
        if run.status != PromotionStatus.PREVIEW:
            raise Refused(_("Only a preview can be confirmed."), code="not_preview")
        refusal = selectors.promotion_refusal(run.track, today=today)
        if refusal:
            raise Refused(refusal, code="closed")
        current = promotion_inputs(run.track, lines)
        if inputs_hash(current) != run.inputs_hash:
            raise Refused(_("The budget or the waitlist of this track has changed since this "
                            "preview (another promotion, a decline or a cancellation). Start a "
                            "new promotion."), code="stale")
        promoted = list(run.lines.filter(promoted=True).order_by("waitlist_position"))
        for source, amount in current["free"].items():
            if sum(getattr(line, source) for line in promoted) > amount:
                raise Refused(_("A budget line would be exceeded."), code="budget")
        with recorded_language():
            reason = _("Promotion #%(run)d (rule version %(version)s)") % {
                "run": run.pk, "version": run.rule_version}
        transition_many({line.application_id: S.PROMOTED for line in promoted}, actor=user,
                        reason=reason)
        change_state(run, PromotionStatus.CONFIRMED, choices=PromotionStatus,
                     transitions=PROMOTION_TRANSITIONS, audit_model=PromotionRunEvent,
                     audit_field="run", refused=Refused,
                     refusal=_("A promotion cannot go from “%(from)s” to “%(to)s”."),
                     actor=user, reason=reason,
                     fields={"confirmed_by": user, "confirmed_at": timezone.now()})
        notices = AdditionalNotice.objects.bulk_create([
            AdditionalNotice(line=line, application_id=line.application_id)
            for line in promoted])
        ids = [notice.pk for notice in notices] if all(n.pk for n in notices) else list(
            AdditionalNotice.objects.filter(line__run=run).values_list("pk", flat=True))
        if ids:
            outbox.enqueue_tasks(ADDITIONAL_NOTICE_TASK, [[pk] for pk in ids],
                                 keys=[f"additional-notice-{pk}" for pk in ids],
                                 group=f"promotion-{run.pk}-notices")
    return run


def deliver_additional_notice(notice_id: int) -> AdditionalNotice:
    """Make the additional selection notice's PDF once, open the promoted application's
    agreement (its clock starts with the notice) and email the company. Idempotent."""
    from .documents import render_additional_notice

    with transaction.atomic():
        notice = (AdditionalNotice.objects.select_for_update(of=("self",))
                  .select_related("line__run__track", "application__company",
                                  "application__call__region", "application__call__programme")
                  .get(pk=notice_id))
        if notice.status == NoticeStatus.SENT:
            return notice
        if notice.status == NoticeStatus.PENDING:
            notice.generated_at = timezone.now()
            notice.file.save(f"{notice.code}.pdf", ContentFile(render_additional_notice(notice)),
                             save=False)
            _notice_state(notice, NoticeStatus.GENERATED,
                          {"file": notice.file.name, "generated_at": notice.generated_at})
            open_agreement(notice.application)
        sent = notifications.enqueue(
            "additional_notice", {"notice": notice, "application": notice.application},
            company_id=notice.application.company_id, key=f"additional-notice-{notice.pk}-email")
        _notice_state(notice, NoticeStatus.SENT,
                      {"emailed_at": timezone.now() if sent else None})
    return notice


def _notice_state(notice: AdditionalNotice, to_status: str, fields: dict) -> None:
    with recorded_language():
        reason = _("Additional selection notice %(code)s") % {"code": notice.code}
    change_state(notice, to_status, choices=NoticeStatus, transitions=NOTICE_TRANSITIONS,
                 audit_model=AdditionalNoticeEvent, audit_field="notice", refused=Refused,
                 refusal=_("A notice cannot go from “%(from)s” to “%(to)s”."), reason=reason,
                 fields=fields)
