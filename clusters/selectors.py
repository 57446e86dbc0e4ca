"""Reads of clusters and the supplier pool that span relations, each in a fixed number of
queries, and the selector the awards app uses to award a cluster per member company."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from applications.enums import EligibilityRule
from applications.models import Application, BonusClaim
from applications.selectors import Eligibility, eligibility_failures
from companies.models import Company
from companies.selectors import company_id_of
from companies.validators import format_registration_number
from programs.enums import FundingSource, TrackKind
from programs.models import Call, Track
from programs.money import Support, TrackRules, compute_support

from .enums import KIND, ClusterDocumentKind, ClusterRole
from .models import Cluster, ClusterDocument, ClusterInvitation, ClusterMember, ClusterNotice

# --- Supplier pool -------------------------------------------------------------------------


# --- Clusters a user may see ---------------------------------------------------------------


def clusters_visible_to(user):
    """Clusters of the user's company (as lead or accepted member), or every one for staff."""
    queryset = Cluster.objects.select_related("call", "track", "lead_company", "supplier",
                                              "application")
    if user.is_authenticated and user.is_staff:
        return queryset
    company_id = company_id_of(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(
        pk__in=ClusterMember.objects.filter(company_id=company_id, withdrawn_at__isnull=True)
        .values("cluster_id"))


def clusters_led_by(user):
    company_id = company_id_of(user)
    if company_id is None:
        return Cluster.objects.none()
    return clusters_visible_to(user).filter(lead_company_id=company_id)


def own_member(cluster: Cluster, user) -> ClusterMember | None:
    """The user's company's row in the cluster (its own part), or None."""
    company_id = company_id_of(user)
    if company_id is None:
        return None
    return (cluster.members.filter(company_id=company_id, withdrawn_at__isnull=True)
            .select_related("company").prefetch_related("documents").first())


def members_for_display(cluster: Cluster):
    """Active members with their company; figures are shown only where the page allows."""
    return (cluster.members.filter(withdrawn_at__isnull=True).select_related("company")
            .prefetch_related("documents").order_by("role", "joined_at", "pk"))


def documents_visible_to(user, cluster: Cluster):
    """Shared documents for every member; a member's own evidence only for its company;
    everything for staff."""
    queryset = cluster.documents.select_related("member__company")
    if user.is_authenticated and user.is_staff:
        return queryset
    company_id = company_id_of(user)
    return queryset.filter(Q(kind=ClusterDocumentKind.SHARED)
                           | Q(member__company_id=company_id, member__withdrawn_at__isnull=True))


def document_for_download(user, cluster_pk: int, document_pk: int) -> ClusterDocument:
    cluster = clusters_visible_to(user).get(pk=cluster_pk)
    return documents_visible_to(user, cluster).get(pk=document_pk)


def open_invitations(cluster: Cluster):
    return cluster.invitations.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


def invitations_for(user):
    """Open invitations sent to the user's email address."""
    if not user.is_authenticated or not user.email:
        return ClusterInvitation.objects.none()
    return (ClusterInvitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True,
                                             cancelled_at__isnull=True)
            .select_related("cluster__lead_company", "cluster__call"))


def open_cluster_calls(now=None):
    """Calls with a cluster track whose window is open now."""
    return (Call.objects.with_status("open", now)
            .filter(tracks__kind=TrackKind.CLUSTER).distinct().order_by("code"))


# --- Dashboard -----------------------------------------------------------------------------


@dataclass
class ClusterRow:
    cluster: Cluster
    member: ClusterMember
    active_members: int
    complete_members: int
    notices: list

    @property
    def is_lead(self) -> bool:
        return self.member.role == ClusterRole.LEAD

    @property
    def enough_members(self) -> bool:
        return self.complete_members >= (self.cluster.track.min_members or 1)


def cluster_dashboard(user) -> list[ClusterRow]:
    """One row per cluster of the user's company: status, counts, its own part, the latest
    notices — in a fixed number of queries whatever the number of clusters."""
    company_id = company_id_of(user)
    if company_id is None:
        return []
    active = Q(members__withdrawn_at__isnull=True)
    clusters = (
        # A subquery, not a join: a join on members would also narrow the counts below.
        Cluster.objects.filter(pk__in=ClusterMember.objects.filter(
            company_id=company_id, withdrawn_at__isnull=True).values("cluster_id"))
        .select_related("call", "track", "lead_company", "application")
        .annotate(
            n_active=Count("members", filter=active, distinct=True),
            n_complete=Count("members", filter=active & Q(
                members__part_completed_at__isnull=False), distinct=True),
        )
        .prefetch_related(
            Prefetch("members", to_attr="own_rows", queryset=ClusterMember.objects.filter(
                company_id=company_id, withdrawn_at__isnull=True)),
            Prefetch("notices", to_attr="latest_notices",
                     queryset=ClusterNotice.objects.order_by("-created_at", "-pk")),
        )
        .order_by("-call__closes_at", "pk")
    )
    return [ClusterRow(cluster=c, member=c.own_rows[0], active_members=c.n_active,
                       complete_members=c.n_complete, notices=c.latest_notices[:5])
            for c in clusters]


# --- For reviews and awards ----------------------------------------------------------------


def cluster_for_application(application: Application) -> Cluster | None:
    """The cluster an application represents, or None for a company's own application."""
    return Cluster.objects.filter(application=application).first()


@dataclass(frozen=True)
class MemberAward:
    """One member company of a submitted cluster with the support the track rules give it."""

    company: Company
    role: str
    cost: int
    support: Support


def cluster_member_awards(application: Application) -> list[MemberAward]:
    """Each member company of the cluster ``application`` represents, with its cost as
    submitted (the latest PlanVersion) and ``compute_support(TrackRules.for_track(track),
    cost)``: awards of the cluster programme are per member company (50%, at most
    40,000,000 won each, rounded down to 1,000 won). Lead first, then in joining order.
    Empty for an application that is not a cluster's or has no submitted version. Four
    queries whatever the number of members."""
    version = application.versions.order_by("-number").first()
    if version is None or version.data.get("kind") != "cluster":
        return []
    track = Track.objects.select_related("call").prefetch_related("shares").get(
        pk=application.track_id)
    rules = TrackRules.for_track(track)
    parts = version.data["members"]
    companies = Company.objects.in_bulk([p["company_id"] for p in parts])
    return [MemberAward(company=companies[p["company_id"]], role=p["role"], cost=p["cost"],
                        support=compute_support(rules, p["cost"]))
            for p in parts]


# --- A submitted cluster as staff and reviewers read it ------------------------------------


def is_cluster_version(version) -> bool:
    """Whether a PlanVersion froze a cluster (``data["kind"] == "cluster"``)."""
    return version is not None and (version.data or {}).get("kind") == KIND


@dataclass(frozen=True)
class MemberPart:
    """One member company's part of a submitted cluster, as it was frozen."""

    company: str
    registration_number: str  # formatted, 124-81-00998
    is_lead: bool
    cost: int
    shares: tuple  # ((label, rate or None, amount), …) per funding source
    support_total: int
    contribution: int
    contribution_cash: int
    contribution_in_kind: int
    priority_claim: bool
    priority_evidence: str
    evidence_documents: tuple


def cluster_plan(data: dict) -> dict:
    """What staff and reviewers read of a frozen cluster version (``PlanVersion.data`` with
    ``kind == "cluster"``): the shared part, each member's part and support with the rate of
    each funding source, and the totals. Reads only ``data``; no query."""
    shared = dict(data.get("shared") or {})
    shared["supplier_registration_number"] = format_registration_number(
        shared.get("supplier_registration_number") or "")
    rates = {share["source"]: Decimal(share["rate"])
             for share in (data.get("rules") or {}).get("shares", [])}
    members = []
    for part in data.get("members") or []:
        shares = tuple((FundingSource(source).label, rates.get(source), amount)
                       for source, amount in (part.get("support") or {}).items()
                       if source in FundingSource.values)
        members.append(MemberPart(
            company=part.get("company", ""),
            registration_number=format_registration_number(
                part.get("registration_number") or ""),
            is_lead=part.get("role") == ClusterRole.LEAD, cost=part.get("cost") or 0, shares=shares,
            support_total=part.get("support_total") or 0,
            contribution=part.get("contribution") or 0,
            contribution_cash=part.get("contribution_cash") or 0,
            contribution_in_kind=part.get("contribution_in_kind") or 0,
            priority_claim=bool(part.get("priority_claim")),
            priority_evidence=part.get("priority_evidence") or "",
            evidence_documents=tuple(part.get("evidence_documents") or ())))
    return {
        "shared": shared,
        "members": members,
        "member_count": len(members),
        "min_members": data.get("min_members"),
        "total_cost": sum(m.cost for m in members),
        "total_support": sum(m.support_total for m in members),
        "total_contribution": sum(m.contribution for m in members),
        "priority_claims": sum(1 for m in members if m.priority_claim),
    }


def cluster_version_documents(version):
    """The cluster's files a version froze: its shared documents and the priority evidence of
    the members it holds. Versions frozen before ``documents_ids`` was recorded fall back to
    the cluster's shared files and its members' evidence."""
    data = (version.data or {}) if version is not None else {}
    if data.get("kind") != "cluster":
        return ClusterDocument.objects.none()
    documents = ClusterDocument.objects.filter(cluster_id=data.get("cluster_id"))
    ids = data.get("documents_ids")
    if ids is not None:
        documents = documents.filter(pk__in=ids)
    else:
        companies = [part.get("company_id") for part in data.get("members") or []]
        documents = documents.filter(Q(member__isnull=True)
                                     | Q(member__company_id__in=companies))
    # Shared files first ("shared" sorts after "priority_evidence"), then as uploaded.
    return (documents.select_related("member__company")
            .order_by("-kind", "uploaded_at", "pk"))


def cluster_eligibility_failures(application: Application, version, *, now=None
                                 ) -> list[Eligibility]:
    """DOMAIN.md §4 for every member company of the cluster ``application`` represents, as
    its latest version holds them: each failure names the rule and the company (the window
    once, for the cluster)."""
    parts = (version.data or {}).get("members", []) if is_cluster_version(version) else []
    companies = Company.objects.select_related("region").in_bulk(
        [part["company_id"] for part in parts])
    failures, window = [], []
    for part in parts:
        company = companies.get(part["company_id"])
        if company is None:
            continue
        for failure in eligibility_failures(company, application.call, application=application,
                                            now=now):
            if failure.rule == EligibilityRule.WINDOW:
                window = [failure]
                continue
            failures.append(Eligibility(failure.rule, _("%(company)s: %(message)s")
                                        % {"company": company.name,
                                           "message": failure.message}))
    return failures + window


def cluster_version_display(version, user) -> dict:
    """A cluster's version: the shared part and every member's part (``cluster_plan``), the
    files it froze (with whether the user may download each from the cluster's pages) and the
    application's bonus claim for the members' priority, with its verification."""
    data = version.data or {}
    cluster = Cluster.objects.filter(pk=data.get("cluster_id")).first()
    may_download = cluster is not None and user.has_perm("clusters.view_cluster", cluster)
    claims = (BonusClaim.objects.filter(application_id=version.application_id)
              .select_related("bonus_item").order_by("bonus_item__order", "pk"))
    return {
        "cluster": cluster,
        "cluster_plan": cluster_plan(data),
        "cluster_documents": [(document, may_download)
                              for document in cluster_version_documents(version)],
        "bonus_claims": [{"item": claim.bonus_item, "evidence": claim.evidence,
                          "verified": claim.verified} for claim in claims],
    }
