"""Hypothesis: the flag rules fire exactly on their cases (against an independent reading of
DOMAIN.md §10), the settled support is the §3 rule applied to the recognised cost, and — over
the database — for random agreed support, payments, invoices and refunds the ledger balances:
paid never exceeds agreed, and after settlement what the project keeps plus what is still to
pay equals the settled support, per source. A cluster is settled per member company: its parts
add up to the won and each member stays within its agreed support."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.money import ShareRule, TrackRules, compute_support
from projects.money import COST_ITEMS, SOURCES
from settlement import money, selectors, services
from settlement.enums import FlagRule, InvoiceKind, OrderStatus, PaymentKind
from settlement.flags import InvoiceFacts, PaymentFacts, invoice_flags
from settlement.models import Flag, PaymentOrder
from tests.settlement.conftest import SUPPLIER, deposit, inspect_once, invoice_values, pdf

START, END = date(2025, 3, 1), date(2025, 8, 31)
SUPPLIERS = [SUPPLIER, "1208147521", "2208162517"]

invoice = st.builds(
    lambda key, number, day, supplier, kind, supply: InvoiceFacts(
        key, f"{number:024d}", START + timedelta(days=day), supplier, kind,
        -supply if kind == InvoiceKind.AMENDED and supply % 2 else supply,
        (-supply if kind == InvoiceKind.AMENDED and supply % 2 else supply) // 10),
    st.integers(0, 10**6), st.integers(0, 30), st.integers(-5, 190), st.sampled_from(SUPPLIERS),
    st.sampled_from(list(InvoiceKind.values)), st.integers(1, 10**9))


@settings(max_examples=300, deadline=None)
@given(invoices=st.lists(invoice, max_size=8, unique_by=lambda i: i.key),
       paid=st.dictionaries(st.sampled_from(SUPPLIERS), st.integers(0, 3 * 10**9)),
       elsewhere=st.sets(st.integers(0, 30).map(lambda n: f"{n:024d}"), max_size=5))
def test_every_flag_rule_fires_exactly_on_its_cases(invoices, paid, elsewhere):
    payments = [PaymentFacts(number, amount) for number, amount in paid.items()]
    found = invoice_flags(invoices, payments, agreed_supplier=SUPPLIER, period_start=START,
                          period_end=END, used_elsewhere=elsewhere)
    owed = {}
    for i in invoices:
        if i.kind != InvoiceKind.CANCELLED:
            owed[i.supplier_registration_number] = (
                owed.get(i.supplier_registration_number, 0) + i.supply_amount + i.vat)
    for i in invoices:
        expected = set()
        if i.supplier_registration_number != SUPPLIER:
            expected.add(FlagRule.SUPPLIER)
        if not START <= i.issued_on <= END:
            expected.add(FlagRule.DATE)
        if i.kind == InvoiceKind.CANCELLED or (i.kind == InvoiceKind.AMENDED
                                               and i.supply_amount < 0):
            expected.add(FlagRule.AMENDED)
        if i.approval_number in elsewhere:
            expected.add(FlagRule.DUPLICATE)
        if paid.get(i.supplier_registration_number, 0) < owed.get(
                i.supplier_registration_number, 0):
            expected.add(FlagRule.UNPAID)
        assert set(found.get(i.key, {})) == expected


rules = st.builds(
    lambda national, provincial, unit, total_cap: TrackRules(
        shares=(ShareRule("national", Decimal(national) / 100, 200_000_000),
                ShareRule("provincial", Decimal(provincial) / 100, None)),
        rounding_unit=unit, total_cap=total_cap),
    st.integers(0, 60), st.integers(0, 30), st.sampled_from([1, 1000, 10_000]),
    st.one_of(st.none(), st.integers(0, 400_000_000)))


@settings(max_examples=300, deadline=None)
@given(rules=rules, recognised=st.lists(st.integers(0, 300_000_000), min_size=4, max_size=4),
       agreed=st.tuples(st.integers(0, 250_000_000), st.integers(0, 120_000_000)),
       paid=st.tuples(st.integers(0, 250_000_000), st.integers(0, 120_000_000)))
def test_settled_support_is_the_rule_on_the_recognised_cost_within_the_agreed(
        rules, recognised, agreed, paid):
    agreed = {"national": agreed[0], "provincial": agreed[1], "municipal": 0}
    paid = {"national": paid[0], "provincial": paid[1], "municipal": 0}
    figures = money.settle(rules, dict(zip(COST_ITEMS, recognised, strict=True)), agreed, paid)
    rule = compute_support(rules, sum(recognised)).shares
    for source in SOURCES:
        assert figures.settled[source] == min(rule.get(source, 0), agreed[source])
        assert paid[source] - figures.refund[source] + figures.balance[source] \
            == figures.settled[source]
        assert min(figures.refund[source], figures.balance[source]) == 0


cluster_rules = st.builds(
    lambda rate, cap, unit: TrackRules(shares=(ShareRule("national", Decimal(rate) / 100, cap),),
                                       rounding_unit=unit, total_cap=cap),
    st.integers(1, 80), st.sampled_from([40_000_000, 25_000_000, None]),
    st.sampled_from([1, 1000, 10_000]))


@settings(max_examples=400, deadline=None)
@given(rules=cluster_rules, costs=st.lists(st.integers(0, 200_000_000), min_size=5,
                                           max_size=12),
       spent=st.integers(0, 100), paid=st.integers(0, 10**9), data=st.data())
def test_a_cluster_is_settled_per_member_company(rules, costs, spent, paid, data):
    """For random member costs and recognised costs: the members' parts add up to the
    recognised cost exactly, each member's settled support never exceeds its agreed support
    (and is the §3 rule on its part within it), the sum per source is the cluster's settled
    support, and spending as agreed settles the agreed support."""
    members = [money.Member(f"회원{i}", f"{i:010d}", cost,
                            {"national": compute_support(rules, cost).shares.get("national", 0),
                             "provincial": 0, "municipal": 0})
               for i, cost in enumerate(costs)]
    agreed = {source: sum(m.agreed[source] for m in members) for source in SOURCES}
    agreed_cost = sum(costs)
    recognised_cost = data.draw(st.integers(0, agreed_cost)) if spent < 95 else agreed_cost
    recognised = {"software": recognised_cost, "hardware": 0, "consulting": 0, "other": 0}
    paid = {"national": min(paid, agreed["national"]), "provincial": 0, "municipal": 0}
    figures = money.settle(rules, recognised, agreed, paid, members)
    assert sum(m.recognised_cost for m in figures.members) == recognised_cost
    assert all(m.recognised_cost >= 0 for m in figures.members)
    for member, part in zip(members, figures.members, strict=True):
        rule = compute_support(rules, part.recognised_cost).shares
        for source in SOURCES:
            assert part.settled[source] <= member.agreed[source]
            assert part.settled[source] == min(rule.get(source, 0), member.agreed[source])
    for source in SOURCES:
        assert figures.settled[source] == sum(m.settled[source] for m in figures.members)
        assert figures.settled[source] <= agreed[source]
        assert paid[source] - figures.refund[source] + figures.balance[source] \
            == figures.settled[source]
    if recognised_cost == agreed_cost:
        assert figures.settled == agreed
        assert [m.recognised_cost for m in figures.members] == costs


@settings(max_examples=300, deadline=None)
@given(total=st.integers(0, 10**10), costs=st.lists(st.integers(0, 10**9), min_size=1,
                                                    max_size=12))
def test_member_parts_add_up_to_the_won(total, costs):
    parts = money.member_parts(total, costs)
    assert sum(parts) == total and len(parts) == len(costs)
    assert all(part >= 0 for part in parts)
    if sum(costs):
        # Every member but the last has its proportional share rounded down.
        assert parts[:-1] == [total * cost // sum(costs) for cost in costs[:-1]]


@settings(max_examples=300, deadline=None)
@given(shares=st.lists(st.integers(0, 40_000_000), min_size=1, max_size=10),
       lowered=st.integers(0, 100))
def test_member_ceilings_stay_within_the_agreement_and_each_award(shares, lowered):
    members = [money.Member("", "", 1, {"national": share, "provincial": 0, "municipal": 0})
               for share in shares]
    agreed = {"national": sum(shares) * lowered // 100, "provincial": 0, "municipal": 0}
    ceilings = money.member_ceilings(members, agreed)
    assert sum(c["national"] for c in ceilings) == agreed["national"]
    assert all(c["national"] <= share for c, share in zip(ceilings, shares, strict=True))


invoices_st = st.lists(st.tuples(st.sampled_from(COST_ITEMS), st.integers(0, 500_000_000),
                                 st.booleans()), min_size=1, max_size=4)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(national=st.integers(0, 200_000_000), provincial=st.integers(0, 80_000_000),
       pay_advance=st.booleans(), invoices=invoices_st,
       other_supplier=st.booleans(), clear_by_excluding=st.booleans(), pay_refunds=st.booleans())
def test_the_ledger_balances_for_random_projects(
        project, accepted, staff, national, provincial, pay_advance, invoices, other_supplier,
        clear_by_excluding, pay_refunds):
    agreement, member = accepted
    with transaction.atomic():
        type(agreement).objects.filter(pk=agreement.pk).update(
            national=national, provincial=provincial, cost_software=100_000_000,
            cost_hardware=200_000_000, cost_consulting=50_000_000, cost_other=50_000_000)
        project.agreement.refresh_from_db()
        agreed = project.agreement.shares
        if pay_advance:
            deposit(project, staff)
            try:
                order = services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
                services.confirm_payment(order, user=staff)
            except services.Refused as refused:
                # Nothing to pay: 70% of each agreed share rounds down to 0 at 1,000 won.
                assert refused.code == "nothing"
                assert money.advance_amounts(agreed, Decimal("0.7"), 1000) == dict.fromkeys(
                    SOURCES, 0)
        draft = services.report_of(project)
        for index, (item, supply, by_other) in enumerate(invoices):
            services.add_invoice(draft, invoice_values(
                agreement, approval_number=f"{index:024d}", cost_item=item,
                supply_amount=supply, vat=supply // 10,
                supplier_registration_number=("1208147521" if other_supplier and by_other
                                              else SUPPLIER)), user=member)
        totals = {}
        for invoice in draft.invoices.all():
            number = invoice.supplier_registration_number
            totals[number] = totals.get(number, 0) + invoice.supply_amount + invoice.vat
        for number, amount in totals.items():
            if amount:
                services.add_supplier_payment(draft, supplier_registration_number=number,
                                              paid_on=agreement.period_start, amount=amount,
                                              upload=pdf(), content_type="application/pdf",
                                              user=member)
        services.submit_report(draft, user=member)
        settlement = services.preview_settlement(project, user=staff)
        for flag in Flag.objects.filter(invoice__report__project=project):
            services.clear_flag(flag, user=staff, reason="확인", exclude=clear_by_excluding)
        settlement = services.preview_settlement(project, user=staff)
        inspect_once(project, staff)
        services.confirm_settlement(settlement, user=staff)
        counted = {item: 0 for item in COST_ITEMS}
        for item, supply, by_other in invoices:
            if not (other_supplier and by_other and clear_by_excluding):
                counted[item] += supply
        recognised = {item: min(counted[item], project.agreement.costs[item])
                      for item in COST_ITEMS}
        settlement.refresh_from_db()
        assert settlement.recognised == recognised
        expected = money.settle(services.track_rules(agreement.application.track),
                                recognised, agreed, {s: 0 for s in SOURCES}).settled
        assert settlement.settled == expected
        balance = PaymentOrder.objects.filter(project=project, kind=PaymentKind.BALANCE,
                                              status=OrderStatus.PREVIEW).first()
        figures = selectors.project_figures(project)
        to_pay = balance.shares if balance else {s: 0 for s in SOURCES}
        for source in SOURCES:
            assert figures.paid[source] <= agreed[source]
            assert figures.net_paid[source] + to_pay[source] == figures.settled[source] \
                == expected[source]
        if balance:
            services.confirm_payment(balance, user=staff)
        if pay_refunds:
            for refund in project.refunds.all():
                services.record_refund_paid(refund, user=staff, paid_on=agreement.period_end)
        figures = selectors.project_figures(project)
        for source in SOURCES:
            assert figures.paid[source] <= agreed[source]
            assert figures.net_paid[source] == figures.settled[source]
            assert figures.refund_paid[source] == (figures.refund_raised[source]
                                                   if pay_refunds else 0)
        transaction.set_rollback(True)
