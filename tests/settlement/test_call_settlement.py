"""Settling a whole call at once (``services.preview_call_settlements``, ``settle_call``) gives
exactly what settling each project does (``preview_settlement``, ``confirm_settlement``): the
same flags, figures, ledger rows, refunds, balance orders, follow-ups and notices, on projects
with every kind of flag — cleared with the invoice left out, cleared, and left open (held) —
and on a cluster project, settled per member company."""

import pytest
from django.db import transaction

from outbox.models import Message
from settlement import services
from settlement.enums import ProjectStatus
from settlement.models import (
    Flag,
    FollowUpReport,
    LedgerEntry,
    PaymentOrder,
    Project,
    Refund,
    Settlement,
)
from tests.projects.test_agreements import accept, agreement_of

from .conftest import OTHER_SUPPLIER, SUPPLIER, inspect_once, make_cluster
from .test_clusters import UNEVEN
from .test_settlement import advance, report

DUPLICATE = "202503014100009999999999"


@pytest.fixture
def projects(awarded, staff, django_capture_on_commit_callbacks):
    """Three accepted Jeonbuk agreements, reported: P0 with another supplier's invoice, P1 a
    cluster of five member companies (``UNEVEN``: 185,000,000 national support, each member
    under its 40,000,000 cap) paid short and with an approval number P2 carries too, P2 with a
    cancelled invoice."""
    call, applications, members, run = awarded
    made = []
    for application, member in zip(applications[:3], members[:3], strict=True):
        accept(agreement_of(application), member, django_capture_on_commit_callbacks)
        made.append((services.project_of(agreement_of(application)), member))
    (p0, m0), (p1, m1), (p2, m2) = made
    p1 = make_cluster(p1, UNEVEN)
    advance(p0, staff)
    advance(p1, staff)
    report(p0, m0, [{"supply_amount": 200_000_000, "vat": 20_000_000},
                    {"approval_number": "202503014100000000000002",
                     "supplier_registration_number": OTHER_SUPPLIER,
                     "supply_amount": 100_000_000, "vat": 10_000_000}])
    report(p1, m1, [{"approval_number": DUPLICATE},
                    {"approval_number": "202503014100000000000003",
                     "supply_amount": 100_000_000, "vat": 10_000_000}],
           paid={SUPPLIER: 300_000_000})
    report(p2, m2, [{"approval_number": DUPLICATE},
                    {"approval_number": "202503014100000000000004", "kind": "cancelled",
                     "supply_amount": 50_000_000, "vat": 5_000_000}])
    return call, [p0, p1, p2]


def flags():
    return sorted(Flag.objects.values_list("invoice_id", "rule", "detail", "cleared_at"))


def settlements():
    return sorted(Settlement.objects.values_list(
        "project_id", "status", "recognised", "recognised_cost", "settled_national",
        "settled_provincial", "settled_municipal", "members", "rules", "report_version_id"),
        key=lambda row: row[0])


def confirmed():
    """Everything confirming writes, without its ids and times."""
    return {
        "settlements": settlements(),
        "projects": sorted(Project.objects.values_list("pk", "status")),
        "ledger": sorted(LedgerEntry.objects.values_list(
            "project_id", "track_id", "kind", "source", "amount", "reason", "refund__amount")),
        "refunds": sorted(Refund.objects.values_list("project_id", "source", "amount", "due_on",
                                                     "status", "reason")),
        "orders": sorted(PaymentOrder.objects.values_list(
            "project_id", "kind", "status", "national", "provincial", "municipal",
            "account_number")),
        "follow_ups": sorted(FollowUpReport.objects.values_list("project_id", "year", "due_on")),
        "notices": Message.objects.filter(task_name=services.NOTICE_TASK).count(),
    }


class Rollback(Exception):
    pass


def test_the_calls_preview_raises_the_same_flags_and_figures(projects, staff):
    call, made = projects
    for project in made:
        services.preview_settlement(project, user=staff)
    one_by_one = (flags(), settlements())
    assert {rule for _i, rule, _d, _c in one_by_one[0]} == {
        "supplier", "duplicate", "unpaid", "amended"}
    Flag.objects.all().delete()
    Settlement.objects.all().delete()
    result = services.preview_call_settlements(call, user=staff)
    assert (flags(), settlements()) == one_by_one
    assert [(s.project_id, s.open_flags) for s in result] == [
        (made[0].pk, 1), (made[1].pk, 3), (made[2].pk, 2)]
    # Computing again changes nothing (the flags recorded are kept).
    services.preview_call_settlements(call, user=staff)
    assert (flags(), settlements()) == one_by_one


def test_settling_the_call_writes_what_settling_each_project_writes(
        projects, staff):
    call, (p0, p1, p2) = projects
    services.preview_call_settlements(call, user=staff)
    other = Flag.objects.get(invoice__report__project=p0)
    services.clear_flag(other, user=staff, reason="공급사 변경 미승인: 제외", exclude=True)
    for flag in Flag.objects.filter(invoice__report__project=p1):
        services.clear_flag(flag, user=staff, reason="증빙 확인")
    for project in (p0, p1, p2):
        inspect_once(project, staff)
    day = p0.agreement.period_end
    try:
        with transaction.atomic():
            for project in (p0, p1):
                services.confirm_settlement(Settlement.objects.get(project=project),
                                            user=staff, today=day)
            with pytest.raises(services.Refused):
                services.confirm_settlement(Settlement.objects.get(project=p2), user=staff,
                                            today=day)
            expected = confirmed()
            raise Rollback
    except Rollback:
        pass
    assert confirmed() != expected
    held = services.settle_call(call, user=staff, today=day)
    assert held == {p2.pk: 2}
    assert confirmed() == expected
    # P0 below its advance (its other supplier's invoice left out): refunds; P1, the cluster,
    # spent its agreed cost: settled at its agreed support per member (185,000,000, not one
    # 40,000,000 cap), its balance the 30% not yet paid.
    assert sorted(Refund.objects.values_list("project_id", "source", "amount")) == [
        (p0.pk, "national", 40_000_000), (p0.pk, "provincial", 16_000_000)]
    assert list(PaymentOrder.objects.filter(kind="balance").values_list(
        "project_id", "national", "provincial")) == [(p1.pk, 55_500_000, 0)]
    cluster = Settlement.objects.get(project=p1)
    assert cluster.settled_national == 185_000_000
    assert [(m["recognised_cost"], m["settled_total"]) for m in cluster.members] == [
        (100_000_000, 40_000_000), (90_000_000, 40_000_000), (80_000_000, 40_000_000),
        (70_000_000, 35_000_000), (60_000_000, 30_000_000)]
    assert Settlement.objects.get(project=p0).members == []
    assert Project.objects.get(pk=p2.pk).status == ProjectStatus.INSPECTED
    # Settling again finds nothing more to settle.
    assert services.settle_call(call, user=staff, today=day) == {p2.pk: 2}
    assert confirmed() == expected
