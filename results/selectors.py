"""Reads of the results app: what a run would publish, the runs staff may publish, and the
published results."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
from applications.models import Application
from awards.enums import NoticeStatus, Outcome, RunStatus
from awards.models import AwardRun, ResultLine
from awards.selectors import budget_dashboard, notice_progress

from .models import PublishedResult

NOT_APPLIED = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)


def snapshot(run: AwardRun, *, show_company_names: bool) -> dict:
    """The figures a published result freezes, as JSON-able values (a fixed number of
    queries whatever the size)."""
    call = run.call
    lines = (ResultLine.objects.filter(run=run, outcome__in=[Outcome.SELECTED,
                                                              Outcome.WAITLISTED])
             .select_related("application__company").order_by("track__order", "position"))
    applied = dict(Application.objects.filter(call=call, receipt_number__isnull=False)
                   .exclude(status__in=NOT_APPLIED).order_by().values_list("track_id")
                   .annotate(n=Count("pk")))
    by_track = {}
    for line in lines:
        entry = {"receipt_number": line.application.receipt_number}
        if show_company_names:
            entry["company"] = line.application.company.name
        if line.outcome == Outcome.WAITLISTED:
            entry["waitlist_position"] = line.waitlist_position
        key = "selected" if line.outcome == Outcome.SELECTED else "waitlisted"
        by_track.setdefault(line.track_id, {"selected": [], "waitlisted": []})[key].append(entry)
    dashboard = budget_dashboard(call)
    region = call.region
    return {
        "call": {"id": call.pk, "code": call.code, "title": call.title,
                 "title_en": call.title_en,
                 "region": region.name if region else "",
                 "region_en": region.name_en if region else ""},
        "run": {"id": run.pk,
                "confirmed_at": run.confirmed_at.isoformat() if run.confirmed_at else None,
                "rule_version": run.rule_version},
        "cutoff_score": str(run.cutoff_score if run.cutoff_score is not None
                            else call.cutoff_score),
        "tracks": [
            {"id": use.track.pk, "order": use.track.order, "name": use.track.name,
             "name_en": use.track.name_en, "target": use.track.target_count,
             "applications": applied.get(use.track.pk, 0),
             "selected": by_track.get(use.track.pk, {}).get("selected", []),
             "waitlisted": by_track.get(use.track.pk, {}).get("waitlisted", [])}
            for use in dashboard.tracks
        ],
        "budget": [{"source": line.source, "amount": line.amount, "used": line.allocated,
                    "remaining": line.remaining} for line in dashboard.lines],
    }


def publish_refusal(run: AwardRun) -> str:
    """Why ``run`` cannot be published now, or an empty string."""
    if run.status != RunStatus.CONFIRMED:
        return _("Only a confirmed award run can be published.")
    if PublishedResult.objects.filter(run=run).exists():
        return _("The results of this run are already published.")
    progress = notice_progress(run)
    if not progress.complete:
        return _("The results are published once every notice is sent: %(sent)d of "
                 "%(total)d are.") % {"sent": progress.sent, "total": progress.total}
    return ""


def publishable_runs():
    """Confirmed runs, newest first, with their call and whether they are published."""
    return (AwardRun.objects.filter(status=RunStatus.CONFIRMED)
            .select_related("call__region", "published_result")
            .annotate(notice_count=Count("notices", distinct=True),
                      sent_count=Count("notices", distinct=True,
                                       filter=Q(notices__status=NoticeStatus.SENT)))
            .order_by("-confirmed_at", "-pk"))


def public_results():
    return PublishedResult.objects.select_related("call__region", "call__programme")
