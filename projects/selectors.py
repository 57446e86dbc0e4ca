"""Reads of the post-award life cycle: a call's terms, what each budget line and track has
free, the waitlist, the agreements and change requests a user may see, dashboard sections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.enums import AWARD_RELEASED, ApplicationStatus
from applications.models import Application
from awards import selectors as award_selectors
from awards.enums import Outcome, RunStatus
from awards.models import Notice, ResultLine
from companies.selectors import company_id_of
from portal.timezone import SEOUL, korea_time  # noqa: F401  (used by services)
from programs.models import BudgetLine, Call, Track
from programs.money import SOURCE_ORDER

from .changes import add_months
from .enums import ChangeStatus, PromotionStatus
from .models import Agreement, CallTerms, ChangeRequest, PromotionRun

S = ApplicationStatus
SOURCES = tuple(source.value for source in SOURCE_ORDER)
# Waitlisted applications that a promotion may still select.
WAITING = (S.WAITLISTED, S.NOTIFIED)


def terms_of(call: Call) -> CallTerms:
    """The call's post-award terms (the defaults when none were saved)."""
    try:
        return call.post_award_terms
    except CallTerms.DoesNotExist:
        return CallTerms(call=call)


def korea_date(moment: datetime) -> date:
    return timezone.localtime(moment, SEOUL).date()


def end_of_korea_day(day: date) -> datetime:
    """The last moment of ``day`` in Korea (24:00, the next day's first moment)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=SEOUL)


def agreement_deadline(noticed_at: datetime, terms: CallTerms) -> datetime:
    """The agreement's deadline: the end of the Korea day ``agreement_days`` after the
    notice."""
    return end_of_korea_day(korea_date(noticed_at) + timedelta(days=terms.agreement_days))


def project_period(accepted_on: date, months: int) -> tuple[date, date]:
    """The period from the acceptance: ``months`` calendar months, the last day included."""
    return accepted_on, add_months(accepted_on, months) - timedelta(days=1)


def first_notice_on(call: Call) -> date | None:
    first = (Notice.objects.filter(run__call=call, generated_at__isnull=False)
             .aggregate(first=Min("generated_at"))["first"])
    return korea_date(first) if first else None


def promotion_ends_on(call: Call, terms: CallTerms | None = None) -> date | None:
    """The last day of promotion: the call's date, or ``promotion_days`` after the first
    notices (None before any notice)."""
    terms = terms or terms_of(call)
    if terms.promotion_ends_on:
        return terms.promotion_ends_on
    first = first_notice_on(call)
    return first + timedelta(days=terms.promotion_days) if first else None


# --- Budget -----------------------------------------------------------------------------

def free_on_lines(call: Call, lines=None) -> dict[str, int]:
    """What each funding source's budget line has left after the awards still held (awards'
    ``confirmed_awards``: a declined, lapsed or cancelled award no longer counts, a promotion
    does). ``lines`` are the call's budget lines when already loaded (locked)."""
    held = award_selectors.confirmed_awards(call)
    lines = lines if lines is not None else BudgetLine.objects.filter(call=call)
    free = {source: 0 for source in SOURCES}
    for line in lines:
        free[line.source] = line.amount - held.get(line.source, 0)
    return free


def held_count(track: Track) -> int:
    return award_selectors.confirmed_lines(track.call).filter(track=track).count()


def waitlist(track: Track):
    """The track's waitlisted applications a promotion may still select, in waitlist order."""
    return (ResultLine.objects
            .filter(run__call_id=track.call_id, run__status=RunStatus.CONFIRMED, track=track,
                    outcome=Outcome.WAITLISTED, application__status__in=WAITING)
            .select_related("application__company")
            .order_by("waitlist_position", "pk"))


def freed_by_track(call: Call) -> dict[int, dict[str, int]]:
    """Per track, what its released awards (declined, lapsed, cancelled) gave back on each
    source."""
    from django.db.models import Sum

    rows = (ResultLine.objects.filter(run__call=call, run__status=RunStatus.CONFIRMED,
                                      application__status__in=AWARD_RELEASED)
            .order_by().values("track_id")
            .annotate(**{source: Sum(source) for source in SOURCES}))
    return {row["track_id"]: {source: row[source] or 0 for source in SOURCES} for row in rows}


@dataclass(frozen=True)
class TrackPromotion:
    track: Track
    freed: dict[str, int]
    waitlisted: list
    held: int

    @property
    def freed_total(self) -> int:
        return sum(self.freed.values())

    @property
    def places(self) -> int | None:
        if self.track.target_count is None:
            return None
        return max(self.track.target_count - self.held, 0)


def promotion_overview(call: Call) -> list[TrackPromotion]:
    """Each track of the call: what it has freed, its waitlist in order and how many awards it
    holds. A fixed number of queries whatever the number of tracks and waitlisted."""
    tracks = list(Track.objects.filter(call=call).order_by("order", "pk"))
    freed = freed_by_track(call)
    held = dict(award_selectors.confirmed_lines(call).order_by().values_list("track_id")
                .annotate(n=Count("pk")))
    waiting: dict[int, list] = {track.pk: [] for track in tracks}
    for line in (ResultLine.objects
                 .filter(run__call=call, run__status=RunStatus.CONFIRMED,
                         outcome=Outcome.WAITLISTED, application__status__in=WAITING)
                 .select_related("application__company").order_by("waitlist_position", "pk")):
        waiting.setdefault(line.track_id, []).append(line)
    return [TrackPromotion(track=track, freed=freed.get(track.pk, dict.fromkeys(SOURCES, 0)),
                           waitlisted=waiting[track.pk], held=held.get(track.pk, 0))
            for track in tracks]


def promotion_runs(call: Call):
    return (PromotionRun.objects.filter(call=call).select_related("track", "started_by",
                                                                   "confirmed_by")
            .defer("inputs").annotate(promoted=Count("lines", filter=Q(lines__promoted=True))))


def promotion_refusal(track: Track, *, today: date | None = None) -> str:
    """Why no promotion of ``track`` may start now, or an empty string."""
    from django.utils.translation import gettext as _

    today = today or korea_date(timezone.now())
    ends = promotion_ends_on(track.call)
    if ends is None:
        return _("No notice of this call has been issued yet: promotion opens with the "
                 "first notices.")
    if today > ends:
        return _("Promotion of this call closed on %(date)s.") % {"date": ends.isoformat()}
    return ""


# --- Agreements --------------------------------------------------------------------------

def agreement_queryset():
    return Agreement.objects.select_related(
        "application__company", "application__call__region", "application__track",
        "supplier")


def agreements_for_user(user):
    """The agreements ``user`` may see: every one for staff, its region's calls' for an
    operator, its company's for a member; none otherwise."""
    queryset = agreement_queryset()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset
    if user.is_operator:
        return queryset.filter(application__call__region_id=user.region_id)
    company_id = company_id_of(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(application__company_id=company_id)


def company_agreements(user):
    """The agreements of the user's company with their latest version and open change
    requests, for the dashboard (None when the user acts for no company)."""
    company_id = company_id_of(user)
    if company_id is None:
        return None
    from django.db.models import Prefetch

    from .models import AgreementVersion

    return list(
        agreement_queryset().filter(application__company_id=company_id)
        .prefetch_related(
            Prefetch("versions", queryset=AgreementVersion.objects.order_by("-number"),
                     to_attr="version_list"),
            Prefetch("designs"))
        .order_by("-noticed_at", "-pk"))


def company_waitlist_positions(user):
    """The user's company's waitlisted applications with their position among those still
    waiting in the track (None when the user acts for no company). One query."""
    company_id = company_id_of(user)
    if company_id is None:
        return None
    ahead = (ResultLine.objects
             .filter(run_id=OuterRef("run_id"), track_id=OuterRef("track_id"),
                     outcome=Outcome.WAITLISTED, application__status__in=WAITING,
                     waitlist_position__lt=OuterRef("waitlist_position"))
             .order_by().values("run_id").annotate(n=Count("pk")).values("n"))
    lines = (ResultLine.objects
             .filter(run__status=RunStatus.CONFIRMED, outcome=Outcome.WAITLISTED,
                     application__company_id=company_id, application__status__in=WAITING)
             .select_related("application__call", "track")
             .annotate(ahead=Coalesce(Subquery(ahead), 0)).order_by("pk"))
    return [{"line": line, "position": line.ahead + 1} for line in lines]


def latest_version(agreement: Agreement):
    return agreement.versions.order_by("-number").first()


def change_requests_for_user(user):
    queryset = ChangeRequest.objects.select_related(
        "agreement__application__company", "agreement__application__call", "filed_by")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset
    if user.is_operator:
        return queryset.filter(agreement__application__call__region_id=user.region_id)
    company_id = company_id_of(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(agreement__application__company_id=company_id)


def pending_change_requests(user):
    return change_requests_for_user(user).filter(status=ChangeStatus.PENDING).order_by(
        "filed_at", "pk")


def design_overdue(agreement: Agreement, today: date | None = None) -> bool:
    """No technical design uploaded and its due day has passed."""
    today = today or korea_date(timezone.now())
    return (agreement.design_due is not None and today > agreement.design_due
            and not agreement.designs.exists())


def staff_summary(user):
    """Counts for the staff and operator dashboard: agreements awaiting acceptance, change
    requests awaiting a decision and promotions in preview, over the user's calls."""
    agreements = agreements_for_user(user)
    return {
        "awaiting": agreements.filter(application__status__in=(S.NOTIFIED, S.PROMOTED),
                                      accepted_at__isnull=True).count(),
        "accepted": agreements.filter(application__status=S.AGREEMENT).count(),
        "changes": pending_change_requests(user).count(),
        "previews": (PromotionRun.objects.filter(status=PromotionStatus.PREVIEW).count()
                     if user.is_staff else 0),
    }


def holding_applications(call: Call):
    """Applications of ``call`` that hold an award on its budget lines."""
    return Application.objects.filter(
        pk__in=award_selectors.confirmed_lines(call).values("application_id"))


def verified_document(code: str) -> dict | None:
    """The facts the public verify page shows for an agreement version or an additional
    selection notice with this code (registered with ``awards.verification``), or None."""
    from django.utils.translation import gettext as _

    from portal.templatetags.portal_tags import won

    from .models import AdditionalNotice, AgreementVersion

    version = (AgreementVersion.objects.filter(code=code, generated_at__isnull=False)
               .exclude(file="").select_related("agreement__application__company",
                                                "agreement__application__call").first())
    if version is not None:
        application = version.agreement.application
        return {"code": version.code, "kind": _("Project agreement"), "facts": [
            (_("Company"), f"{application.company.name} "
                           f"({application.company.registration_number_display})"),
            (_("Call"), application.call.title),
            (_("Version"), str(version.number)),
            (_("Project period"), f"{version.period_start.isoformat()} ~ "
                                  f"{version.period_end.isoformat()}"),
            (_("Total support"), won(version.support_total)),
            (_("Issued on"), korea_date(version.generated_at).isoformat())]}
    notice = (AdditionalNotice.objects.filter(code=code, generated_at__isnull=False)
              .exclude(file="").select_related("application__company", "application__call",
                                               "line__run__track").first())
    if notice is not None:
        application = notice.application
        return {"code": notice.code, "kind": _("Notice of additional selection"), "facts": [
            (_("Company"), f"{application.company.name} "
                           f"({application.company.registration_number_display})"),
            (_("Call"), application.call.title),
            (_("Track"), notice.line.run.track.name),
            (_("Total support"), won(notice.line.support_total)),
            (_("Issued on"), korea_date(notice.generated_at).isoformat())]}
    return None
