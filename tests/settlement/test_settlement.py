"""The completion report, its flags and the settlement (DOMAIN.md §10): the recognised cost is
the valid invoices' supply amounts within each item's agreed cost, the settled support the §3
rule applied to it, the refund paid − settled; an open flag blocks settlement; confirming
writes the ledger, prepares the balance or raises the refund, and makes the notice once."""

from datetime import timedelta

import pytest

from settlement import selectors, services
from settlement.enums import (
    FlagRule,
    LedgerKind,
    OrderStatus,
    PaymentKind,
    ProjectStatus,
    RefundStatus,
    SettlementStatus,
)
from settlement.models import Flag, LedgerEntry, PaymentOrder, Refund, Settlement
from tests.settlement.conftest import (
    OTHER_SUPPLIER,
    SUPPLIER,
    deposit,
    inspect_once,
    invoice_values,
    pdf,
)


def advance(project, staff):
    deposit(project, staff)
    services.confirm_payment(services.prepare_payment(project, PaymentKind.ADVANCE,
                                                      user=staff), user=staff)


def report(project, member, invoices, paid=None):
    """A submitted report with ``invoices`` (changes to the default invoice) and one proof of
    payment per supplier of ``paid`` won (default: every invoice's total)."""
    draft = services.report_of(project)
    draft = services.save_report(draft, values={"actual_software": 300_000_000,
                                                "kpi_productivity": "25"},
                                 revision=draft.revision, user=member)
    totals = {}
    for changes in invoices:
        invoice = services.add_invoice(draft, invoice_values(project.agreement, **changes),
                                       user=member)
        number = invoice.supplier_registration_number
        totals[number] = totals.get(number, 0) + invoice.supply_amount + invoice.vat
    for number, amount in (paid if paid is not None else totals).items():
        services.add_supplier_payment(draft, supplier_registration_number=number,
                                      paid_on=project.agreement.period_start + timedelta(40),
                                      amount=amount, upload=pdf(),
                                      content_type="application/pdf", user=member)
    return services.submit_report(draft, user=member)


def rules_of(project):
    return sorted(Flag.objects.filter(invoice__report__project=project)
                  .values_list("invoice__approval_number", "rule"))


def test_submitting_freezes_a_version_and_closes_the_draft(project, accepted, staff):
    agreement, member = accepted
    version = report(project, member, [{}])
    project.refresh_from_db()
    assert (project.status, version.number) == (ProjectStatus.REPORTED, 1)
    assert version.data["invoices"][0]["approval_number"] == "202503014100001234567890"
    assert version.data["kpis"] == {"productivity": "25"}
    with pytest.raises(services.Refused) as refused:
        services.save_report(project.report, values={"summary": "x"},
                             revision=project.report.revision, user=member)
    assert refused.value.code == "submitted"


def test_a_stale_autosave_is_refused(project, accepted):
    agreement, member = accepted
    draft = services.report_of(project)
    services.save_report(draft, values={"summary": "첫 번째"}, revision=0, user=member)
    with pytest.raises(services.Refused) as refused:
        services.save_report(draft, values={"summary": "두 번째"}, revision=0, user=member)
    assert refused.value.code == "stale"
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("첫 번째", 1)


def test_settlement_with_no_flag_prepares_the_balance(project, accepted, staff,
                                                      django_capture_on_commit_callbacks):
    agreement, member = accepted
    advance(project, staff)
    report(project, member, [{}])
    settlement = services.preview_settlement(project, user=staff)
    assert (settlement.recognised_cost, settlement.settled) == (
        300_000_000, {"national": 150_000_000, "provincial": 60_000_000, "municipal": 0})
    with django_capture_on_commit_callbacks(execute=True):
        inspect_once(project, staff)
        services.confirm_settlement(settlement, user=staff)
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.CONFIRMED
    assert settlement.is_ready
    balance = PaymentOrder.objects.get(kind=PaymentKind.BALANCE)
    assert (balance.status, balance.shares) == (
        OrderStatus.PREVIEW, {"national": 10_000_000, "provincial": 4_000_000, "municipal": 0})
    services.confirm_payment(balance, user=staff)
    figures = selectors.project_figures(project)
    assert figures.paid == figures.settled == {
        "national": 150_000_000, "provincial": 60_000_000, "municipal": 0}
    assert Refund.objects.count() == 0


def test_settlement_below_the_advance_raises_the_refund(project, accepted, staff):
    agreement, member = accepted
    advance(project, staff)
    report(project, member, [{"supply_amount": 200_000_000, "vat": 20_000_000}])
    settlement = services.preview_settlement(project, user=staff)
    inspect_once(project, staff)
    services.confirm_settlement(settlement, user=staff, today=agreement.period_end)
    refunds = list(Refund.objects.order_by("source").values_list("source", "amount",
                                                                 "due_on", "status"))
    due = agreement.period_end + timedelta(days=30)
    assert refunds == [("national", 40_000_000, due, RefundStatus.RAISED),
                       ("provincial", 16_000_000, due, RefundStatus.RAISED)]
    assert PaymentOrder.objects.filter(kind=PaymentKind.BALANCE).count() == 0
    figures = selectors.project_figures(project)
    assert figures.net_paid == figures.settled == {
        "national": 100_000_000, "provincial": 40_000_000, "municipal": 0}
    refund = Refund.objects.get(source="national")
    services.record_refund_paid(refund, user=staff, paid_on=agreement.period_end)
    assert selectors.project_figures(project).refund_paid["national"] == 40_000_000


def test_each_item_is_limited_by_its_agreed_cost_and_vat_is_not_eligible(
        project, accepted, staff):
    agreement, member = accepted
    report(project, member, [
        {"supply_amount": 390_000_000, "vat": 39_000_000},
        {"approval_number": "202503014100001234567891", "cost_item": "hardware",
         "supply_amount": 50_000_000, "vat": 5_000_000}])
    settlement = services.preview_settlement(project, user=staff)
    # Software is agreed at 400,000,000 and hardware at 0: the hardware invoice counts for 0.
    assert settlement.recognised == {"software": 390_000_000, "hardware": 0,
                                     "consulting": 0, "other": 0}
    assert settlement.settled["national"] == 195_000_000


def test_another_suppliers_invoice_blocks_settlement_until_cleared(project, accepted, staff):
    agreement, member = accepted
    report(project, member, [{}, {"approval_number": "202503014100001234567891",
                                  "supplier_registration_number": OTHER_SUPPLIER,
                                  "supply_amount": 10_000_000, "vat": 1_000_000}])
    settlement = services.preview_settlement(project, user=staff)
    assert rules_of(project) == [("202503014100001234567891", FlagRule.SUPPLIER)]
    with pytest.raises(services.Refused) as refused:
        inspect_once(project, staff)
        services.confirm_settlement(settlement, user=staff)
    assert refused.value.code == "flags_cleared"
    assert LedgerEntry.objects.filter(kind=LedgerKind.SETTLED).count() == 0
    flag = Flag.objects.get()
    services.clear_flag(flag, user=staff, reason="공급기업 변경 승인 확인", exclude=True)
    settlement = services.preview_settlement(project, user=staff)
    assert settlement.recognised_cost == 300_000_000
    inspect_once(project, staff)
    services.confirm_settlement(settlement, user=staff)
    project.refresh_from_db()
    assert project.status == ProjectStatus.SETTLED


def test_every_flag_rule_fires_on_its_case(project, accepted, staff, awarded):
    agreement, member = accepted
    start, end = agreement.period_start, agreement.period_end
    # An invoice with the same approval number in another project's report.
    other = services.report_of(project)  # this project's draft, filled below
    report(project, member, [
        {},
        {"approval_number": "202503014100001234567891", "issued_on": start - timedelta(1),
         "supply_amount": 1_000_000, "vat": 100_000},
        {"approval_number": "202503014100001234567892", "issued_on": end + timedelta(1),
         "supply_amount": 1_000_000, "vat": 100_000},
        {"approval_number": "202503014100001234567893", "kind": "amended",
         "supply_amount": -1_000_000, "vat": -100_000},
        {"approval_number": "202503014100001234567894", "kind": "cancelled",
         "supply_amount": 1_000_000, "vat": 100_000},
    ], paid={SUPPLIER: 331_100_000})
    assert other.pk == project.report.pk
    services.preview_settlement(project, user=staff)
    assert rules_of(project) == [
        ("202503014100001234567891", FlagRule.DATE),
        ("202503014100001234567892", FlagRule.DATE),
        ("202503014100001234567893", FlagRule.AMENDED),
        ("202503014100001234567894", FlagRule.AMENDED)]


def test_short_payments_to_the_supplier_flag_its_invoices(project, accepted, staff):
    agreement, member = accepted
    report(project, member, [{}], paid={SUPPLIER: 329_999_999})
    services.preview_settlement(project, user=staff)
    flag = Flag.objects.get()
    assert (flag.rule, flag.detail) == (
        FlagRule.UNPAID, "세금계산서 합계 330,000,000원, 증빙된 지급 329,999,999원.")


def test_settling_twice_is_refused(project, accepted, staff):
    agreement, member = accepted
    report(project, member, [{}])
    settlement = services.preview_settlement(project, user=staff)
    inspect_once(project, staff)
    services.confirm_settlement(settlement, user=staff)
    with pytest.raises(services.Refused) as refused:
        inspect_once(project, staff)
        services.confirm_settlement(Settlement.objects.get(pk=settlement.pk), user=staff)
    assert refused.value.code == "once"
    assert LedgerEntry.objects.filter(kind=LedgerKind.SETTLED).count() == 2


def test_claw_back_raises_everything_paid_and_bars_the_company(project, accepted, staff):
    from companies.models import Exclusion

    agreement, member = accepted
    advance(project, staff)
    refunds = services.claw_back(project, user=staff, reason="허위 세금계산서 제출",
                                 today=agreement.period_start)
    assert sorted((r.source, r.amount) for r in refunds) == [
        ("national", 140_000_000), ("provincial", 56_000_000)]
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLAWED_BACK
    assert Exclusion.objects.filter(
        registration_number=agreement.application.company.registration_number).count() == 1
    assert selectors.project_figures(project).net_paid == {
        "national": 0, "provincial": 0, "municipal": 0}
