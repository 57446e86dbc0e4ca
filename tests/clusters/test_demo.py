import pytest

from clusters import demo as cluster_demo
from clusters.enums import ClusterStatus
from clusters.models import Cluster
from companies.models import Supplier
from companies.validators import registration_number_is_valid
from portal.demo import load_accounts


@pytest.fixture
def loaded(demo, settings):
    load_accounts()
    return cluster_demo.load()


def test_demo_pool_has_four_approved_suppliers_and_one_waiting(loaded):
    assert list(Supplier.objects.order_by("name").values_list("name", "approved")) == [
        ("누리오토메이션", True), ("다온데이터", True), ("미래공정기술", False),
        ("새봄IoT", True), ("한빛스마트솔루션", True)]
    assert all(registration_number_is_valid(n) for n in
               Supplier.objects.values_list("registration_number", flat=True))


def test_demo_cluster_is_a_draft_waiting_for_its_fifth_company(loaded):
    cluster = Cluster.objects.get()
    members = list(cluster.members.order_by("role", "pk"))

    assert (cluster.status, cluster.call.code, cluster.supplier.name) == (
        ClusterStatus.DRAFT, "2025-CL", "한빛스마트솔루션")
    assert [(m.company.name, m.role, m.cost, m.part_complete, m.priority_claim)
            for m in members] == [
        ("한마음장류", "lead", 90_000_000, True, False),
        ("청정발효식품", "member", 60_000_000, True, True),
        ("바른젓갈", "member", 45_000_000, True, False),
        ("햇살장류", "member", 75_000_000, True, False)]
    assert list(cluster.invitations.filter(accepted_at__isnull=True)
                .values_list("email", flat=True)) == ["cluster-member4@demo.smartfactory.kr"]


def test_demo_loads_twice_without_change(loaded):
    again = cluster_demo.load()

    assert (again, Cluster.objects.count(), Supplier.objects.count()) == (loaded, 1, 5)
