"""The settlement demo (``settlement.demo``): after ``load_demo`` one Jeonbuk project at each
stage — deposit pending, advance paid, completion reported with one flagged invoice (another
supplier's), inspected, settled with a refund, a follow-up report due — each exactly once with
its figures; a second load changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from portal.demo_users import DEMO_PASSWORD
from projects.changes import add_months
from projects.demo import ACCEPTED_EMAIL
from settlement import demo, selectors
from settlement.enums import FlagRule, InspectionStatus, ProjectStatus, RefundStatus
from settlement.models import (
    Flag,
    FollowUpReport,
    LedgerEntry,
    Project,
    Refund,
    Settlement,
)

P = ProjectStatus
ADVANCE = {"national": 140_000_000, "provincial": 56_000_000, "municipal": 0}
NOTHING = dict.fromkeys(ADVANCE, 0)


@pytest.fixture
def loaded(settings, db):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def project_of(email) -> Project:
    return Project.objects.get(agreement__application__company__memberships__user__email=email)


def emails():
    return {stage: email for email, stage, _months in demo.STAGES}


def test_each_stage_once_with_its_figures(loaded):
    today = selectors.korea_date(timezone.now())
    assert Project.objects.count() == 6
    assert sorted(Project.objects.values_list("status", flat=True)) == sorted(
        [P.IN_PROGRESS, P.IN_PROGRESS, P.REPORTED, P.INSPECTED, P.SETTLED, P.SETTLED])
    figures = selectors.figures_of(Project.objects.values_list("pk", flat=True))

    pending = project_of(ACCEPTED_EMAIL)
    assert (pending.status, figures[pending.pk].deposited, figures[pending.pk].paid) == (
        P.IN_PROGRESS, 0, NOTHING)

    advance = project_of(emails()["advance"])
    assert (advance.status, figures[advance.pk].deposited, figures[advance.pk].paid) == (
        P.IN_PROGRESS, 80_000_000, ADVANCE)

    reported = project_of(emails()["reported"])
    assert reported.status == P.REPORTED
    flag = Flag.objects.get()  # the only flag of the demo, open
    assert (flag.invoice.report.project_id, flag.rule, flag.is_open,
            flag.invoice.supplier_name, flag.invoice.supply_amount) == (
        reported.pk, FlagRule.SUPPLIER, True, "새봄IoT", 100_000_000)

    inspected = project_of(emails()["inspected"])
    inspection = inspected.inspections.get()
    assert (inspected.status, inspection.status, inspection.photos.count(),
            inspection.inspector.user.email) == (
        P.INSPECTED, InspectionStatus.PASSED, 1, demo.INSPECTOR_EMAIL)

    settled = project_of(emails()["settled"])
    settlement = Settlement.objects.get(project=settled)
    assert (settled.status, settlement.recognised_cost, settlement.settled,
            settlement.is_ready) == (
        P.SETTLED, 240_000_000, {"national": 120_000_000, "provincial": 48_000_000,
                                 "municipal": 0}, True)
    assert sorted(Refund.objects.values_list("project_id", "source", "amount", "status",
                                             "due_on")) == [
        (settled.pk, "national", 20_000_000, RefundStatus.RAISED, today + timedelta(days=30)),
        (settled.pk, "provincial", 8_000_000, RefundStatus.RAISED, today + timedelta(days=30))]

    follow_up = project_of(emails()["follow_up"])
    settled_on = add_months(today, -12) - timedelta(days=10)
    assert Settlement.objects.get(project=follow_up).settled == {
        "national": 200_000_000, "provincial": 80_000_000, "municipal": 0}
    due = [report for report in FollowUpReport.objects.all()
           if selectors.follow_up_state(report, today) == "due"]
    assert [(r.project_id, r.year, r.due_on) for r in due] == [
        (follow_up.pk, 1, add_months(settled_on, 12))]
    # Every figure above is the ledger's: the settled support is written once per source.
    assert LedgerEntry.objects.filter(kind="settled").count() == 4


def test_each_demo_company_opens_its_project(loaded):
    for email in [ACCEPTED_EMAIL, *emails().values()]:
        client = Client()
        assert client.login(username=email, password=DEMO_PASSWORD)
        assert client.get(f"/projects/{project_of(email).pk}/").status_code == 200


def test_load_demo_twice_changes_nothing(loaded):
    def rows():
        return (sorted(Project.objects.values_list("pk", "status")),
                LedgerEntry.objects.count(), Flag.objects.count(), Refund.objects.count(),
                FollowUpReport.objects.count())

    before = rows()
    call_command("load_demo", stdout=StringIO())
    assert rows() == before
