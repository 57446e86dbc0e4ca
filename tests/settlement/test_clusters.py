"""A cluster project (DOMAIN.md §2.2: five or more member companies, the support capped per
member company) is settled per member company: the cluster's recognised cost is split among
its members in proportion to their agreed costs (the last taking the remainder), each member's
settled support is the §3 rule on its part within its agreed support, and the cluster's is the
sum — the cap is never applied once to the whole cluster."""

from django.urls import reverse
from django.utils import translation

from settlement import services
from settlement.enums import PaymentKind
from settlement.models import PaymentOrder, Refund, Settlement
from tests.settlement.conftest import inspect_once, make_cluster
from tests.settlement.test_settlement import advance, report

UNEVEN = [("가온정밀", 100_000_000), ("나래금속", 90_000_000), ("다온기계", 80_000_000),
          ("라온테크", 70_000_000), ("마루산업", 60_000_000)]


def settle(project, staff):
    services.preview_settlement(project, user=staff)
    inspect_once(project, staff)
    return services.confirm_settlement(Settlement.objects.get(project=project), user=staff,
                                       today=project.agreement.period_end)


def test_a_cluster_that_spends_as_agreed_is_settled_at_its_agreed_support(
        project, accepted, staff):
    agreement, member = accepted
    project = make_cluster(project)
    assert project.agreement.shares == {"national": 200_000_000, "provincial": 0,
                                        "municipal": 0}
    advance(project, staff)
    report(project, member, [{"supply_amount": 400_000_000, "vat": 40_000_000}])
    settlement = settle(project, staff)
    assert (settlement.recognised_cost, settlement.settled) == (
        400_000_000, {"national": 200_000_000, "provincial": 0, "municipal": 0})
    assert Refund.objects.count() == 0
    balance = PaymentOrder.objects.get(kind=PaymentKind.BALANCE)
    assert balance.shares == {"national": 60_000_000, "provincial": 0, "municipal": 0}
    assert [(m["company"], m["recognised_cost"], m["settled"]["national"])
            for m in settlement.members] == [
        (name, 80_000_000, 40_000_000) for name in ("가온정밀", "나래금속", "다온기계",
                                                    "라온테크", "마루산업")]


def test_a_cluster_short_of_its_cost_is_settled_per_member_company(project, accepted, staff):
    agreement, member = accepted
    project = make_cluster(project, UNEVEN)
    # The award: 50% of each member's cost, at most 40,000,000 won each.
    assert project.agreement.shares["national"] == 40_000_000 * 3 + 35_000_000 + 30_000_000
    advance(project, staff)  # 70% of 185,000,000
    report(project, member, [{"supply_amount": 300_000_000, "vat": 30_000_000}])
    settlement = settle(project, staff)
    # 300,000,000 split by 100:90:80:70:60 → 75, 67.5, 60, 52.5 and the remainder 45 million.
    assert [(m["recognised_cost"], m["settled"]["national"]) for m in settlement.members] == [
        (75_000_000, 37_500_000), (67_500_000, 33_750_000), (60_000_000, 30_000_000),
        (52_500_000, 26_250_000), (45_000_000, 22_500_000)]
    assert settlement.settled["national"] == 150_000_000
    assert Refund.objects.count() == 0
    balance = PaymentOrder.objects.get(kind=PaymentKind.BALANCE)
    assert balance.shares == {"national": 20_500_000, "provincial": 0, "municipal": 0}


def test_a_cluster_below_its_advance_raises_the_refund(project, accepted, staff):
    agreement, member = accepted
    project = make_cluster(project)
    advance(project, staff)  # 140,000,000
    report(project, member, [{"supply_amount": 200_000_000, "vat": 20_000_000}])
    settlement = settle(project, staff)
    assert settlement.settled["national"] == 5 * 20_000_000
    assert list(Refund.objects.values_list("source", "amount")) == [("national", 40_000_000)]


def test_the_settlement_page_and_notice_show_each_member_company(
        project, accepted, staff, client, django_capture_on_commit_callbacks):
    agreement, member = accepted
    project = make_cluster(project)
    advance(project, staff)
    report(project, member, [{"supply_amount": 400_000_000, "vat": 40_000_000}])
    services.preview_settlement(project, user=staff)
    client.force_login(staff)
    with translation.override("ko"):
        page = client.get(reverse("settlement:settlement", args=[project.pk]),
                          headers={"accept-language": "ko"}).content.decode()
    assert 'id="members"' in page
    assert "참여기업별 정산" in page
    assert "가온정밀" in page and "40,000,000원" in page


def test_the_notice_lists_each_member_companys_settlement(project, accepted, staff):
    from django.template.loader import render_to_string

    from settlement.notices import settlement_context

    agreement, member = accepted
    project = make_cluster(project, UNEVEN)
    report(project, member, [{"supply_amount": 300_000_000, "vat": 30_000_000}])
    settlement = services.preview_settlement(project, user=staff)
    with translation.override("ko"):
        html = render_to_string("settlement/settlement_notice_pdf.html",
                                settlement_context(settlement))
    assert "참여기업별 정산" in html
    assert ('<tr class="member"><th>가온정밀</th><td>100,000,000원</td><td>75,000,000원</td>'
            '<td>40,000,000원</td><td>37,500,000원</td></tr>') in html
    assert html.count('<tr class="member">') == 5


def test_a_cluster_cost_change_keeps_the_cap_per_member_company(project, accepted):
    """An agreement's cost change (projects.change_requests) follows the same per-member rule:
    the support for the agreed costs is still the members' sum, and a lower cost lowers each
    member's part — not one 40,000,000 cap for the whole cluster."""
    from projects.change_requests import cost_change_support

    project = make_cluster(project)
    agreement = project.agreement
    as_agreed = {"costs": {"software": 200_000_000, "hardware": 200_000_000, "consulting": 0,
                           "other": 0},
                 "contribution_cash": 200_000_000, "contribution_in_kind": 0}
    assert cost_change_support(agreement, as_agreed) == {
        "national": 200_000_000, "provincial": 0, "municipal": 0}
    lower = {"costs": {"software": 150_000_000, "hardware": 150_000_000, "consulting": 0,
                       "other": 0},
             "contribution_cash": 150_000_000, "contribution_in_kind": 0}
    # 300,000,000 split alike: 60,000,000 a member, half of it supported, under the cap
    assert cost_change_support(agreement, lower) == {
        "national": 150_000_000, "provincial": 0, "municipal": 0}


def test_a_cluster_agreement_support_follows_its_cost_per_member_company(project, accepted):
    """The agreement's support for a cluster (``projects.services.support_for``) is the same
    per-member rule: the award at the awarded cost, never more when the cost rises, less when
    it falls — so a cluster that spends its agreed cost is settled at its agreed support."""
    from projects.services import support_for

    project = make_cluster(project)
    agreement = project.agreement
    track, line, award = agreement.application.track, agreement.result_line, agreement.award
    nothing = {"provincial": 0, "municipal": 0}
    assert support_for(track, line, 400_000_000, award).shares == {
        "national": 200_000_000, **nothing}
    assert support_for(track, line, 500_000_000, award).shares == {
        "national": 200_000_000, **nothing}
    lower = support_for(track, line, 300_000_000, award)
    assert (lower.shares, lower.contribution) == ({"national": 150_000_000, **nothing},
                                                  150_000_000)
