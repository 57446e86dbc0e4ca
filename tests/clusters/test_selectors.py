from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters import services, submission
from clusters.selectors import cluster_for_application, cluster_member_awards
from companies.selectors import split_terms
from portal.numbers import MAX_WON
from programs.enums import FundingSource
from programs.money import ShareRule, TrackRules, compute_support
from tests.factories.applications import ApplicationFactory, PlanVersionFactory
from tests.factories.clusters import demo_cluster_track, lead_user, make_cluster, member_user

# The cluster track of DOMAIN.md §2.1: national 50%, at most 40,000,000 per company.
CLUSTER_RULES = TrackRules(shares=(ShareRule(FundingSource.NATIONAL, Decimal("0.5"),
                                             40_000_000),), total_cap=40_000_000)


@pytest.fixture
def track(demo):
    return demo_cluster_track()


def test_member_awards_per_company_with_the_cap(track, django_assert_num_queries):
    cluster = make_cluster(5, costs=[100_000_000, 50_000_000, 12_345_678, 80_000_001,
                                     1_000])
    submission.submit_cluster(cluster, user=lead_user(cluster))
    cluster.refresh_from_db()
    application = cluster.application

    with django_assert_num_queries(4):
        awards = cluster_member_awards(application)

    assert [(a.company.pk, a.role, a.cost, a.support.total, a.support.shares,
             a.support.contribution) for a in awards] == [
        (m.company_id, m.role, cost, support, {"national": support}, cost - support)
        for m, cost, support in zip(
            cluster.members.order_by("role", "joined_at", "pk"),
            [100_000_000, 50_000_000, 12_345_678, 80_000_001, 1_000],
            [40_000_000, 25_000_000, 6_172_000, 40_000_000, 0], strict=True)]


def test_member_awards_follow_the_latest_version(track):
    cluster = make_cluster(6)
    submission.submit_cluster(cluster, user=lead_user(cluster))
    leaving = cluster.members.filter(role="member").last()
    submission.withdraw_member(leaving, user=member_user(leaving))
    cluster.refresh_from_db()

    companies = [a.company for a in cluster_member_awards(cluster.application)]

    assert len(companies) == 5
    assert leaving.company not in companies


def test_member_awards_empty_for_a_company_application(track):
    application = PlanVersionFactory().application

    assert cluster_member_awards(application) == []
    assert cluster_for_application(application) is None


def test_cluster_for_application(track):
    cluster = make_cluster(5)
    submission.submit_cluster(cluster, user=lead_user(cluster))
    cluster.refresh_from_db()

    assert cluster_for_application(cluster.application) == cluster
    assert cluster_for_application(ApplicationFactory()) is None


def test_demo_cluster_track_has_the_seed_rules(track):
    assert TrackRules.for_track(track) == CLUSTER_RULES


@settings(max_examples=200, deadline=None)
@given(cost=st.integers(min_value=1, max_value=MAX_WON))
def test_canonical_split_of_any_cost_is_a_valid_part(cost):
    """For any cost, support = the rule applied, never above 40,000,000; contribution split at
    the minimum cash share passes every check, and one won less cash does not."""
    support = compute_support(CLUSTER_RULES, cost)
    cash = services.minimum_cash(Decimal("0.5"), support.contribution)
    in_kind = support.contribution - cash

    assert support.total == min((cost // 2) // 1000 * 1000, 40_000_000)
    assert services.part_problems(rules=CLUSTER_RULES, min_cash_share=Decimal("0.5"),
                                  cost=cost, cash=cash, in_kind=in_kind) == {}
    if cash:
        assert sorted(services.part_problems(
            rules=CLUSTER_RULES, min_cash_share=Decimal("0.5"), cost=cost, cash=cash - 1,
            in_kind=in_kind + 1)) == ["contribution_cash"]


def test_split_terms():
    assert split_terms("MES, 자동화 · 설비/IoT;  ") == ["MES", "자동화", "설비", "IoT"]
