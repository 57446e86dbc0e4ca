"""Reads of clusters and the supplier pool that span relations, each in a fixed number of
queries, and the selector the awards app uses to award a cluster per member company."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from programs.enums import TrackKind
from programs.models import Call, Track
from programs.money import Support, TrackRules, compute_support

from .cluster_rules import company_id_of
from .models import (
    Application,
    Cluster,
    ClusterDocument,
    ClusterDocumentKind,
    ClusterInvitation,
    ClusterMember,
    ClusterNotice,
    Company,
    Supplier,
)

# --- Supplier pool -------------------------------------------------------------------------


def public_suppliers():
    """Suppliers staff have approved: the public pool."""
    return Supplier.objects.filter(approved=True).select_related("region").order_by("name", "pk")


def suppliers_visible_to(user):
    """The pool, plus every registered supplier for staff (who approve them)."""
    if user.is_authenticated and user.is_staff:
        return Supplier.objects.select_related("region").order_by("name", "pk")
    return public_suppliers()


def split_terms(text: str) -> list[str]:
    """``"MES, 자동화 ·설비"`` → ``["MES", "자동화", "설비"]`` (commas, middle dots, slashes)."""
    for separator in ("·", "/", ";", "\n"):
        text = text.replace(separator, ",")
    return [term.strip() for term in text.split(",") if term.strip()]


def pool_terms(field: str) -> list[str]:
    """The distinct terms of one text field over the pool, sorted: the filter's choices."""
    terms = set()
    for value in public_suppliers().values_list(field, flat=True):
        terms.update(split_terms(value))
    return sorted(terms)


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
        return self.member.role == "lead"

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

