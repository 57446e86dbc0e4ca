"""Reads of the applications app that span relations: what a user may see, eligibility,
completeness, support figures and the dashboard's rows, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from companies.selectors import active_exclusion, company_id_of
from portal.templatetags.portal_tags import tr as translated
from portal.timezone import SEOUL, korea_time
from programs.enums import FundingSource
from programs.models import BonusItem, Call, Track
from programs.money import Support, TrackRules, compute_support, minimum_cash

from . import kinds
from .checks import Problem, step_problems
from .enums import KPI_UNITS, ApplicationStatus, EligibilityRule, Kpi, PlanStep
from .models import Application, BonusClaim, BusinessPlan, Document, PlanVersion

EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)

# Related objects the company dashboard prefetches for every application. Another app that
# shows something per application there (the awards app's notices, say) appends the related
# name here from its AppConfig.ready() and fills the "notices" place of
# applications/_dashboard_application.html; the dashboard then still takes the same number of
# queries whatever the number of applications.
DASHBOARD_EXTRA_PREFETCHES: list = []


# --- Who sees what -------------------------------------------------------------------------


def applications_of_member(user):
    """The applications of the user's company: the only ones a company member may open."""
    company_id = company_id_of(user)
    if company_id is None:
        return Application.objects.none()
    return Application.objects.filter(company_id=company_id)


def cluster_of(application: Application):
    """The cluster ``application`` represents for review, or None for a company's own
    application (uses ``select_related("cluster")`` when the query made it)."""
    try:
        return application.cluster
    except ObjectDoesNotExist:
        return None


def applications_for_operator(user):
    """The applications an operator (or staff) may read: submitted at least once, in the
    operator's region — the call's region, or the factory's for a nationwide call."""
    queryset = Application.objects.exclude(status=ApplicationStatus.DRAFT, receipt_number=None)
    if user.is_staff:
        return queryset
    if not user.is_authenticated or user.region_id is None:
        return Application.objects.none()
    return queryset.filter(Q(call__region_id=user.region_id)
                           | Q(call__region__isnull=True, company__region_id=user.region_id))


def documents_of_member(user):
    company_id = company_id_of(user)
    if company_id is None:
        return Document.objects.none()
    return Document.objects.filter(application__company_id=company_id)


# --- One application ----------------------------------------------------------------------

def application_for_member(user, pk) -> Application:
    """One of the user's company's applications with what its pages show; DoesNotExist for
    any other (the view turns it into 404)."""
    return (applications_of_member(user)
            .select_related("call", "call__region", "track", "track__call", "company",
                            "company__region", "plan", "plan__supplier", "cluster")
            .prefetch_related("track__shares", "call__required_documents",
                              "call__bonus_items", "bonus_claims__bonus_item", "documents",
                              "versions")
            .get(pk=pk))


def track_rules(track: Track) -> TrackRules:
    """The money rules of a track (uses its prefetched shares when present)."""
    return TrackRules.for_track(track, shares=list(track.shares.all()))


def support_for(track: Track, total_cost: int) -> Support:
    """The support the server gives ``total_cost`` won on ``track`` (never the browser's)."""
    return compute_support(track_rules(track), total_cost)


def editing_closed_reason(application: Application, now=None) -> str:
    """Why the company may no longer change the application, or "" while it may."""
    now = now or timezone.now()
    call = application.call
    if application.status == ApplicationStatus.WITHDRAWN:
        if now < call.closes_at:
            return _("This application was withdrawn. Reopen it to change it and submit it "
                     "again before the deadline.")
        return _("This application was withdrawn and the application window has closed.")
    if application.status not in EDITABLE_STATUSES:
        return _("This application has been passed on for screening and review; it can no "
                 "longer be changed.")
    if now < call.opens_at:
        return _("The application window opens on %(date)s (Korea time).") % {
            "date": korea_time(call.opens_at)}
    if now >= call.closes_at:
        return _("The application window closed on %(date)s (Korea time). Nothing can be "
                 "changed or submitted any more; what was last saved is kept.") % {
            "date": korea_time(call.closes_at)}
    return ""


@dataclass
class Eligibility:
    rule: str
    message: str

    @property
    def rule_label(self):
        return EligibilityRule(self.rule).label


def eligibility_failures(company: Company, call: Call, *, application: Application | None = None,
                         now=None) -> list[Eligibility]:
    """Every eligibility rule of DOMAIN.md §4 the company fails for the call, each naming the
    rule, in a fixed order; empty when the company may apply."""
    now = now or timezone.now()
    failures = []
    if call.region_id is not None and company.region_id != call.region_id:
        failures.append(Eligibility(EligibilityRule.REGION, _(
            "The factory is in %(company_region)s; this call accepts factories in "
            "%(call_region)s only.") % {"company_region": translated(company.region, "name"),
                                        "call_region": translated(call.region, "name")}))
    codes = [str(code).upper() for code in (call.ksic_codes or [])]
    ksic = (company.ksic_code or "").strip().upper()
    if codes and not any(ksic.startswith(code) for code in codes):
        failures.append(Eligibility(EligibilityRule.INDUSTRY, _(
            "The company's industry code %(code)s is not among those this call accepts "
            "(%(codes)s).") % {"code": ksic or "—", "codes": ", ".join(codes)}))
    if not company.is_sme:
        failures.append(Eligibility(EligibilityRule.SME, _(
            "Only SMEs may apply: confirm in the company profile that the company is an SME "
            "(중소기업).")))
    others = Application.objects.filter(company=company, call=call)
    if application is not None and application.pk:
        others = others.exclude(pk=application.pk)
    if others.exists():
        failures.append(Eligibility(EligibilityRule.ONE_PER_CALL, _(
            "The company already has an application for this call.")))
    exclusion = active_exclusion(company.registration_number,
                                 timezone.localtime(now, SEOUL).date())
    if exclusion is not None:
        failures.append(Eligibility(EligibilityRule.EXCLUDED, _(
            "The business registration number %(number)s is barred from the programmes "
            "(참여제한) until %(date)s: %(reason)s") % {
            "number": company.registration_number_display,
            "date": exclusion.ends_on.isoformat(), "reason": exclusion.reason}))
    if now < call.opens_at:
        failures.append(Eligibility(EligibilityRule.WINDOW, _(
            "Applications open on %(date)s (Korea time).") % {"date": korea_time(call.opens_at)}))
    elif now >= call.closes_at:
        failures.append(Eligibility(EligibilityRule.WINDOW, _(
            "Applications closed on %(date)s (Korea time).") % {
            "date": korea_time(call.closes_at)}))
    return failures


@dataclass
class Completeness:
    """What is still missing before an application can be submitted."""

    steps: dict = field(default_factory=dict)  # step → list[Problem]
    missing_documents: list = field(default_factory=list)  # DocumentType

    @property
    def complete(self) -> bool:
        return not self.missing_documents and not any(self.steps.values())

    @property
    def incomplete_steps(self) -> list:
        return [PlanStep(step) for step, problems in self.steps.items() if problems]

    def messages(self) -> list[str]:
        lines = [_("Step “%(step)s” is not complete.") % {"step": PlanStep(step).label}
                 for step in self.incomplete_steps]
        lines += [_("The document “%(name)s” is missing.") % {"name": translated(kind, "name")}
                  for kind in self.missing_documents]
        return lines


def completeness(application: Application, plan: BusinessPlan | None = None) -> Completeness:
    """Every step and every required document of the application (uses prefetched relations)."""
    plan = plan or application.plan
    rules = track_rules(application.track)
    claims = list(application.bonus_claims.all())
    steps = {
        step.value: step_problems(plan, step, rules=rules,
                                  min_cash_share=application.call.min_cash_share,
                                  bonus_claims=claims)
        for step in PlanStep
    }
    uploaded = {document.document_type_id for document in application.documents.all()}
    missing = [kind for kind in application.call.required_documents.all()
               if kind.pk not in uploaded]
    return Completeness(steps=steps, missing_documents=missing)


def step_is_complete(problems: list[Problem]) -> bool:
    return not problems


def latest_version(application: Application):
    """The latest submitted version (the one reviewed), from prefetched versions if any."""
    versions = sorted(application.versions.all(), key=lambda v: v.number, reverse=True)
    return versions[0] if versions else None


def next_step(application: Application, state: Completeness | None, now=None) -> str:
    """What the company should do next, in one sentence."""
    now = now or timezone.now()
    status = application.status
    if status == ApplicationStatus.DRAFT:
        if now >= application.call.closes_at:
            return _("The deadline has passed; this draft was not submitted.")
        if state is not None and state.incomplete_steps:
            return _("Complete the business plan: %(step)s.") % {
                "step": state.incomplete_steps[0].label}
        if state is not None and state.missing_documents:
            return _("Upload the required documents.")
        return _("Submit the application before the deadline.")
    if status == ApplicationStatus.SUBMITTED:
        return _("Submitted. You may still change and resubmit it until the deadline; "
                 "screening follows.")
    if status == ApplicationStatus.WITHDRAWN:
        return _("Withdrawn.")
    if status == ApplicationStatus.INELIGIBLE:
        return _("Screened as ineligible: %(reason)s") % {"reason": application.screening_reason}
    return _("No action needed: the operating agency will contact you.")


# --- Lists ---------------------------------------------------------------------------------

def dashboard_applications(user):
    """The user's company's own applications with everything the dashboard shows of them.

    An application that represents a cluster is left out: the cluster section of the dashboard
    shows it, and it is changed only on the cluster's pages."""
    return (applications_of_member(user)
            .filter(cluster__isnull=True)
            .select_related("call", "call__region", "track", "track__call", "plan")
            .prefetch_related(
                Prefetch("track__shares"),
                "call__required_documents",
                "bonus_claims__bonus_item",
                Prefetch("documents", queryset=Document.objects.select_related("document_type")),
                # the number and amount of each version, not the frozen plan (JSON)
                Prefetch("versions", queryset=PlanVersion.objects.defer("data")),
                *DASHBOARD_EXTRA_PREFETCHES,
            )
            .order_by("-created_at", "-pk"))


def operator_applications(user, *, track=None):
    return (applications_for_operator(user)
            .select_related("call", "track", "company", "company__region")
            .order_by("call__code", "receipt_number", "pk"))


def counts_per_track(applications_queryset):
    """``[{"track": Track, "count": n, "submitted": n}]`` for the applications given."""
    rows = (applications_queryset.order_by().values("track")
            .annotate(count=Count("pk"),
                      submitted=Count("pk", filter=~Q(status=ApplicationStatus.WITHDRAWN))))
    by_track = {row["track"]: row for row in rows}
    tracks = Track.objects.filter(pk__in=by_track).select_related("call").order_by(
        "call__code", "order")
    return [{"track": track, "count": by_track[track.pk]["count"],
             "active": by_track[track.pk]["submitted"]} for track in tracks]


def bonus_claims_for_staff(application):
    return BonusClaim.objects.filter(application=application).select_related("bonus_item")


def applications_visible_to(user):
    """Every application the user may read: the company's own, an operator's region's
    (once submitted), all for staff. Reviewers are added by the reviews app's own views."""
    if not user.is_authenticated:
        return Application.objects.none()
    if user.is_staff:
        return Application.objects.all()
    condition = Q(pk__in=[])
    company_id = company_id_of(user)
    if company_id is not None:
        condition |= Q(company_id=company_id)
    if user.region_id:
        condition |= Q(pk__in=applications_for_operator(user).values("pk"))
    return Application.objects.filter(condition)


@dataclass
class SupportSummary:
    """The support the server computes for the amounts typed so far, per funding source."""

    total_cost: int
    support: Support
    rows: list  # (FundingShare, amount)
    contribution: int
    minimum_cash: int
    cash: int
    in_kind: int
    max_project_cost: int | None
    invalid: bool = False

    @property
    def capped(self) -> bool:
        return self.max_project_cost is not None and self.total_cost > self.max_project_cost

    @property
    def split_matches(self) -> bool:
        return self.cash + self.in_kind == self.contribution


def support_summary(application: Application, costs: dict, cash=None, in_kind=None, *,
                    invalid=False) -> SupportSummary:
    """What the budget step shows beside the amounts (uses the track's prefetched shares)."""

    total = sum(value or 0 for value in costs.values())
    track = application.track
    support = compute_support(track_rules(track), total)
    shares = sorted(track.shares.all(), key=lambda s: list(support.shares).index(s.source)
                    if s.source in support.shares else 99)
    rows = [(share, support.shares.get(share.source, 0)) for share in shares]
    return SupportSummary(
        total_cost=total, support=support, rows=rows, contribution=support.contribution,
        minimum_cash=minimum_cash(support.contribution, application.call.min_cash_share),
        cash=cash or 0, in_kind=in_kind or 0, max_project_cost=track.max_project_cost,
        invalid=invalid)


def version_display(version, user) -> dict:
    """What a version page shows, read from the frozen ``data`` (never the current draft):
    KPIs and funding shares with their labels, the documents it froze (with whether the user
    may download each) and the bonus items it claimed."""
    data = version.data or {}
    plan = data.get("plan", {})
    kpis = [{"label": Kpi(row["code"]).label, "unit": KPI_UNITS[Kpi(row["code"])],
             "baseline": row.get("baseline"), "target": row.get("target")}
            for row in plan.get("kpis") or [] if row.get("code") in Kpi.values]
    rates = {share["source"]: share for share in data.get("rules", {}).get("shares", [])}
    support = data.get("support", {})
    shares = [{"label": FundingSource(source).label, "amount": amount,
               "rate": Decimal(rates[source]["rate"]) if source in rates else None,
               "cap": rates.get(source, {}).get("cap")}
              for source, amount in support.get("shares", {}).items()
              if source in FundingSource.values]
    documents = list(Document.objects.filter(pk__in=data.get("documents_ids") or [])
                     .select_related("document_type", "application")
                     .order_by("document_type__code", "pk"))
    items = BonusItem.objects.in_bulk([c.get("bonus_item_id") for c in
                                       data.get("bonus_claims", [])])
    verified = dict(BonusClaim.objects.filter(application_id=version.application_id)
                    .values_list("bonus_item_id", "verified"))
    display = {
        "data": data,
        "plan_data": plan,
        "kpis": kpis,
        "shares": shares,
        "support": support,
        "documents": [(document, user.has_perm("applications.view_document", document))
                      for document in documents],
        "bonus_claims": [{"item": items.get(c.get("bonus_item_id")), "evidence": c["evidence"],
                          "verified": verified.get(c.get("bonus_item_id"))}
                         for c in data.get("bonus_claims", [])],
        "cluster_plan": None,
        "cluster_documents": [],
    }
    kind = kinds.of_version(data)
    if kind is not None:
        display.update(kind.version_display(version, user))
    return display


