"""The final inspection (최종점검): an inspector with no conflict (the reviews' rule, and the
agreed supplier), a checklist from the plan's function list and KPIs, and pass / remediate
(once, 30 days) / fail; settlement only after a pass."""

from datetime import timedelta

import pytest

from settlement import services
from settlement.enums import InspectionStatus, ProjectStatus
from tests.factories.reviews import ReviewerProfileFactory

from .conftest import SUPPLIER, inspect
from .test_settlement import report


@pytest.fixture
def reported(project, accepted):
    agreement, member = accepted
    report(project, member, [{}])
    return project


def test_an_inspector_from_the_agreed_supplier_is_refused(reported, staff):
    profile = ReviewerProfileFactory(organisation_registration_number=SUPPLIER)
    with pytest.raises(services.Refused) as refused:
        services.assign_inspector(reported, profile, user=staff)
    assert refused.value.code == "not_conflicted"


def test_an_inspector_from_the_company_is_refused(reported, staff):
    company = reported.agreement.application.company
    profile = ReviewerProfileFactory(
        organisation_registration_number=company.registration_number)
    with pytest.raises(services.Refused) as refused:
        services.assign_inspector(reported, profile, user=staff)
    assert refused.value.code == "not_conflicted"


def test_the_checklist_lists_the_plans_functions_and_kpis(reported, staff):
    inspection = services.assign_inspector(reported, ReviewerProfileFactory(), user=staff)
    kinds = [item["kind"] for item in inspection.checklist]
    assert kinds == sorted(kinds, key=lambda kind: kind != "function")
    assert {item["item"] for item in inspection.checklist if item["kind"] == "kpi"} == set(
        services.selectors.plan_kpis(reported.agreement.application))


def test_settlement_before_the_inspection_is_refused(reported, staff):
    settlement = services.preview_settlement(reported, user=staff)
    with pytest.raises(services.Refused) as refused:
        services.confirm_settlement(settlement, user=staff)
    assert refused.value.code == "inspected"


def test_remediation_is_asked_once_with_its_due_date(reported, staff):
    today = reported.agreement.period_end
    inspection = inspect(reported, staff, decision="remediate", today=today)
    assert (inspection.status, inspection.remediation_due) == (
        InspectionStatus.REMEDIATE, today + timedelta(days=30))
    with pytest.raises(services.Refused) as refused:
        services.record_inspection(inspection, user=inspection.inspector.user,
                                   checklist=[], findings="", decision="remediate")
    assert refused.value.code == "remediate_once"
    services.record_inspection(inspection, user=inspection.inspector.user, checklist=[],
                               findings="보완 확인", decision="passed")
    reported.refresh_from_db()
    assert reported.status == ProjectStatus.INSPECTED


def test_a_failed_inspection_orders_everything_paid_back(reported, staff):
    from settlement.enums import PaymentKind

    from .conftest import deposit

    reported_project = reported
    deposit(reported_project, staff)
    inspect(reported_project, staff, decision="failed")
    reported_project.refresh_from_db()
    assert reported_project.status == ProjectStatus.CLAWED_BACK
    with pytest.raises(services.Refused):
        services.prepare_payment(reported_project, PaymentKind.ADVANCE, user=staff)


def test_a_declared_conflict_frees_the_project_for_another_inspector(reported, staff):
    inspection = services.assign_inspector(reported, ReviewerProfileFactory(), user=staff)
    services.declare_inspection_conflict(inspection, user=inspection.inspector.user,
                                         reason="대표이사와 친족 관계")
    second = services.assign_inspector(reported, ReviewerProfileFactory(), user=staff)
    assert second.status == InspectionStatus.ASSIGNED
