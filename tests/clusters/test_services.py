
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clusters import services
from clusters.enums import ClusterStatus
from clusters.models import Cluster
from tests.clusters.helpers import shared
from tests.factories.applications import CompanyFactory, SupplierFactory
from tests.factories.clusters import (
    ClusterFactory,
    make_cluster,
    member_user,
    user_for,
    valid_part,
)
from tests.factories.portal import UserFactory


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


# --- Opening ---------------------------------------------------------------------------------

def test_open_cluster_with_pool_supplier_makes_lead_member(call, track):
    company = CompanyFactory()
    user = user_for(company)
    supplier = SupplierFactory(approved=True)

    cluster = services.open_cluster(user=user, call=call, **shared(supplier=supplier))

    assert (cluster.track, cluster.lead_company, cluster.supplier, cluster.status) == (
        track, company, supplier, ClusterStatus.DRAFT)
    assert list(cluster.members.values_list("company_id", "role")) == [(company.pk, "lead")]


def test_open_cluster_supplier_outside_pool_without_number_refused(call):
    user = user_for(CompanyFactory())

    with pytest.raises(ValidationError) as error:
        services.open_cluster(user=user, call=call, **shared(supplier_name="외부솔루션"))

    assert error.value.message_dict == {"supplier_registration_number": [
        "A supplier outside the pool must be named with its business registration number."]}
    assert Cluster.objects.count() == 0


def test_open_cluster_supplier_outside_pool_with_number_accepted(call):
    user = user_for(CompanyFactory())

    cluster = services.open_cluster(user=user, call=call, **shared(
        supplier_name="외부솔루션", supplier_registration_number="220-81-62517"))

    assert (cluster.supplier, cluster.supplier_name, cluster.supplier_registration_number) == (
        None, "외부솔루션", "2208162517")


def test_open_cluster_unapproved_supplier_refused(call):
    user = user_for(CompanyFactory())

    with pytest.raises(ValidationError) as error:
        services.open_cluster(user=user, call=call,
                              **shared(supplier=SupplierFactory(approved=False)))

    assert error.value.message_dict == {"supplier": ["This supplier is not in the pool yet."]}


def test_open_cluster_company_already_in_another_cluster_refused(call):
    other = make_cluster(2, complete=False)
    member = other.members.get(role="member")

    with pytest.raises(ValidationError) as error:
        services.open_cluster(user=member_user(member), call=call,
                              **shared(supplier=SupplierFactory()))

    assert error.value.messages == [
        f"{member.company.name} is already in the cluster “{other.name}” for this call."]


def test_open_cluster_without_company_refused(call):
    with pytest.raises(ValidationError) as error:
        services.open_cluster(user=UserFactory(), call=call, **shared(supplier=SupplierFactory()))

    assert error.value.messages == ["Register your company before opening a cluster."]


# --- Members' parts --------------------------------------------------------------------------

@pytest.mark.parametrize(("cost", "message"), [
    (0, "The cost must be more than zero won."),
    (-1, "The cost must be more than zero won."),
    (1_000_000_000_001, "The cost can be at most KRW 1,000,000,000,000."),
])
def test_save_part_cost_out_of_range_refused(call, cost, message):
    cluster = ClusterFactory()
    member = cluster.members.get()

    with pytest.raises(ValidationError) as error:
        services.save_member_part(member, user=user_for(cluster.lead_company), cost=cost,
                                  contribution_cash=0, contribution_in_kind=0)

    assert error.value.message_dict == {"cost": [message]}
    member.refresh_from_db()
    assert (member.cost, member.part_completed_at) == (None, None)


def test_save_part_contribution_must_equal_cost_less_support(call):
    cluster = ClusterFactory()
    member = cluster.members.get()

    with pytest.raises(ValidationError) as error:
        services.save_member_part(member, user=user_for(cluster.lead_company),
                                  cost=100_000_000, contribution_cash=40_000_000,
                                  contribution_in_kind=10_000_000)

    assert error.value.message_dict == {"contribution_in_kind": [
        "With a cost of KRW 100,000,000 the support is KRW 40,000,000, so the company "
        "contributes KRW 60,000,000: cash and in-kind must add up to that (they add up to "
        "KRW 50,000,000)."]}


def test_save_part_cash_below_minimum_share_refused(call):
    cluster = ClusterFactory()
    member = cluster.members.get()

    with pytest.raises(ValidationError) as error:
        services.save_member_part(member, user=user_for(cluster.lead_company),
                                  cost=100_000_000, contribution_cash=29_999_999,
                                  contribution_in_kind=30_000_001)

    assert error.value.message_dict == {"contribution_cash": [
        "At least 50% of the contribution must be paid in cash: KRW 30,000,000 or more."]}


def test_save_part_priority_claim_needs_evidence(call):
    cluster = ClusterFactory()
    member = cluster.members.get()

    with pytest.raises(ValidationError) as error:
        services.save_member_part(member, user=user_for(cluster.lead_company),
                                  priority_claim=True, priority_evidence=" ",
                                  **valid_part(member, 50_000_000))

    assert error.value.message_dict == {"priority_evidence": [
        "Describe how government regulation or a policy change hurt the company, or attach "
        "evidence."]}


def test_save_part_valid_is_complete(call):
    cluster = ClusterFactory()
    member = cluster.members.get()
    user = user_for(cluster.lead_company)

    services.save_member_part(member, user=user, priority_claim=True,
                              priority_evidence="식품 포장재 규제 강화로 설비 교체",
                              **valid_part(member, 12_345_678))

    member.refresh_from_db()
    assert (member.cost, member.contribution_cash, member.contribution_in_kind,
            member.priority_claim, member.part_complete, member.part_updated_by) == (
        12_345_678, 3_086_839, 3_086_839, True, True, user)
