"""Factories for clusters of the cluster programme (use them with the ``demo`` fixture: the
2025-CL call and its cluster track come from programs.demo)."""

import factory
from django.utils import timezone

from clusters import services as cluster_services
from clusters import submission
from clusters.enums import ClusterRole
from clusters.models import Cluster, ClusterInvitation, ClusterMember
from programs.enums import TrackKind
from programs.models import Track
from programs.money import TrackRules, compute_support
from tests.factories.applications import CompanyFactory, MembershipFactory, SupplierFactory
from tests.factories.portal import UserFactory


def demo_cluster_track() -> Track:
    return Track.objects.select_related("call").get(call__code="2025-CL",
                                                    kind=TrackKind.CLUSTER)


class ClusterFactory(factory.django.DjangoModelFactory):
    """A draft cluster with its lead company's member row (part not completed)."""

    class Meta:
        model = Cluster
        skip_postgeneration_save = True

    track = factory.LazyFunction(demo_cluster_track)
    call = factory.SelfAttribute("track.call")
    lead_company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"장류 발효 클러스터 {n}")
    shared_process = "원료 배합 → 발효 → 숙성 → 충전·포장"
    supplier = factory.SubFactory(SupplierFactory)
    common_system = "공동 MES와 발효조 온도 모니터링"
    system_scope = "5개사 발효 공정의 온도·습도 수집과 생산실적 관리"

    @factory.post_generation
    def lead(obj, create, extracted, **kwargs):
        if create:
            ClusterMember.objects.create(cluster=obj, call=obj.call, company=obj.lead_company,
                                         role=ClusterRole.LEAD)


class ClusterMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMember

    cluster = factory.SubFactory(ClusterFactory)
    call = factory.SelfAttribute("cluster.call")
    company = factory.SubFactory(CompanyFactory)
    role = ClusterRole.MEMBER


class ClusterInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterInvitation

    cluster = factory.SubFactory(ClusterFactory)
    registration_number = factory.LazyFunction(lambda: CompanyFactory.build().registration_number)
    email = factory.Sequence(lambda n: f"cluster-invitee{n}@example.test")


def valid_part(member: ClusterMember, cost: int) -> dict:
    """Figures of a complete part for ``cost``: the contribution split half cash (rounded up),
    half in kind."""
    support = compute_support(TrackRules.for_track(member.cluster.track), cost)
    cash = cluster_services.minimum_cash(member.cluster.call.min_cash_share,
                                         support.contribution)
    return {"cost": cost, "contribution_cash": cash,
            "contribution_in_kind": support.contribution - cash}


def complete_part(member: ClusterMember, cost: int = 60_000_000, *, priority_claim=False,
                  priority_evidence="") -> ClusterMember:
    """Fill a member's part with valid figures, as if saved through the part form."""
    for name, value in valid_part(member, cost).items():
        setattr(member, name, value)
    member.priority_claim = priority_claim
    member.priority_evidence = priority_evidence
    member.part_completed_at = timezone.now()
    member.save()
    return member


def user_for(company, email=None):
    """A verified user acting for ``company``."""
    user = UserFactory(**({"email": email} if email else {}))
    MembershipFactory(company=company, user=user)
    return user


def make_cluster(size: int = 5, *, complete: bool = True, costs=None, **kwargs) -> Cluster:
    """A draft cluster of ``size`` companies (the lead included), each with a user; with
    ``complete`` every part is filled (``costs`` per company, else 60,000,000 each)."""
    cluster = ClusterFactory(**kwargs)
    user_for(cluster.lead_company)
    for _ in range(size - 1):
        member = ClusterMemberFactory(cluster=cluster)
        user_for(member.company)
    if complete:
        costs = costs or [60_000_000] * size
        for member, cost in zip(cluster.members.order_by("role", "pk"), costs, strict=True):
            complete_part(member, cost)
    return cluster


def lead_user(cluster):
    return cluster.lead_company.memberships.select_related("user").first().user


def member_user(member):
    return member.company.memberships.select_related("user").first().user


def make_submitted_cluster(size: int = 5, *, priority_member: int = 1) -> Cluster:
    """A cluster of ``size`` complete members, submitted by its lead: one shared document, and
    the member at ``priority_member`` (in joining order, the lead being 0) claims the priority
    with a written reason and an evidence file. Its ``application`` is the one reviewed."""
    from django.core.files.base import ContentFile

    from applications.demo import pdf_bytes
    from clusters.enums import ClusterDocumentKind
    from clusters.models import ClusterDocument

    cluster = make_cluster(size)
    shared, evidence = pdf_bytes("shared plan"), pdf_bytes("evidence")
    ClusterDocument.objects.create(
        cluster=cluster, kind=ClusterDocumentKind.SHARED,
        file=ContentFile(shared, name="shared.pdf"), original_name="공동사업계획서.pdf",
        content_type="application/pdf", size=len(shared))
    member = list(cluster.members.order_by("role", "pk"))[priority_member]
    complete_part(member, priority_claim=True,
                  priority_evidence="식품 표시기준 개정으로 포장 설비를 바꿔야 했습니다.")
    ClusterDocument.objects.create(
        cluster=cluster, member=member, kind=ClusterDocumentKind.PRIORITY_EVIDENCE,
        file=ContentFile(evidence, name="evidence.pdf"), original_name="규제피해증빙.pdf",
        content_type="application/pdf", size=len(evidence))
    return submission.submit_cluster(cluster, user=lead_user(cluster))
