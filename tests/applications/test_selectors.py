from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from applications import selectors
from applications.enums import ApplicationStatus, EligibilityRule, PlanStep
from applications.models import Application
from programs.models import Call, Region
from tests.factories.applications import ApplicationFactory, CompanyFactory, DocumentFactory

SEOUL = ZoneInfo("Asia/Seoul")


def failures(company, call, **kwargs):
    with translation.override("en"):
        return [(f.rule, f.message) for f in selectors.eligibility_failures(company, call,
                                                                            **kwargs)]


def test_eligibility_none_for_a_gyeongbuk_food_sme(company, gb_call):
    assert failures(company, gb_call) == []


def test_eligibility_region_names_both_regions(gb_call):
    company = CompanyFactory(region=Region.objects.get(code="JN"))
    assert failures(company, gb_call) == [(
        EligibilityRule.REGION,
        "The factory is in Jeonnam; this call accepts factories in Gyeongbuk only.")]


def test_eligibility_nationwide_call_accepts_any_region(demo):
    cluster = Call.objects.get(code="2025-CL")
    company = CompanyFactory(region=Region.objects.get(code="JB"), ksic_code="C25")
    assert failures(company, cluster) == []


def test_eligibility_ksic_prefix(company, gb_call):
    company.ksic_code = "C10791"
    assert failures(company, gb_call) == []
    company.ksic_code = "C20"
    assert failures(company, gb_call) == [(
        EligibilityRule.INDUSTRY,
        "The company's industry code C20 is not among those this call accepts (C10, C11).")]


def test_eligibility_sme(company, gb_call):
    company.is_sme = False
    assert failures(company, gb_call) == [(
        EligibilityRule.SME,
        "Only SMEs may apply: confirm in the company profile that the company is an SME "
        "(중소기업).")]


def test_eligibility_one_application_per_call(application, gb_call, company):
    assert failures(company, gb_call, application=application) == []
    assert failures(company, gb_call) == [(
        EligibilityRule.ONE_PER_CALL, "The company already has an application for this call.")]


def test_eligibility_window_by_korea_time(company, gb_call):
    gb_call.closes_at = datetime(2025, 9, 30, 18, 0, tzinfo=SEOUL)
    gb_call.opens_at = datetime(2025, 9, 1, 9, 0, tzinfo=SEOUL)
    before = datetime(2025, 9, 30, 17, 59, 59, tzinfo=SEOUL)
    at_deadline = datetime(2025, 9, 30, 9, 0, tzinfo=ZoneInfo("UTC"))  # 18:00 in Seoul
    assert failures(company, gb_call, now=before) == []
    assert failures(company, gb_call, now=at_deadline) == [(
        EligibilityRule.WINDOW, "Applications closed on 2025-09-30 18:00 (Korea time).")]
    assert failures(company, gb_call, now=datetime(2025, 8, 31, tzinfo=SEOUL)) == [(
        EligibilityRule.WINDOW, "Applications open on 2025-09-01 09:00 (Korea time).")]


def test_eligibility_lists_every_failure_in_order(gb_call):
    company = CompanyFactory(region=Region.objects.get(code="JN"), ksic_code="C25",
                             is_sme=False)
    rules = [rule for rule, _ in failures(company, gb_call,
                                          now=gb_call.closes_at + timedelta(seconds=1))]
    assert rules == [EligibilityRule.REGION, EligibilityRule.INDUSTRY, EligibilityRule.SME,
                     EligibilityRule.WINDOW]


def test_one_application_per_company_per_call_is_a_database_constraint(application):
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(call=application.call, track=application.track,
                                   company=application.company)


def test_completeness_complete_application(application):
    state = selectors.completeness(application)
    assert (state.complete, state.incomplete_steps, state.missing_documents) == (True, [], [])


def test_completeness_names_steps_and_documents(application):
    plan = application.plan
    plan.systems = "  "
    plan.kpis = []
    plan.save()
    application.documents.filter(document_type__code="sme-confirmation").delete()
    with translation.override("en"):
        state = selectors.completeness(application)
        assert state.messages() == [
            "Step “Smart-factory plan” is not complete.",
            "Step “KPIs” is not complete.",
            "The document “SME confirmation” is missing.",
        ]
    assert state.incomplete_steps == [PlanStep.PLAN, PlanStep.KPIS]


def test_next_step_for_a_draft_names_the_first_incomplete_step(application):
    application.plan.company_overview = ""
    with translation.override("en"):
        state = selectors.completeness(application)
        assert selectors.next_step(application, state) == (
            "Complete the business plan: Company status.")


def test_editing_closed_reason_after_deadline(application):
    call = application.call
    with translation.override("en"):
        assert selectors.editing_closed_reason(application) == ""
        reason = selectors.editing_closed_reason(application,
                                                 now=call.closes_at + timedelta(minutes=1))
    closes = call.closes_at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")
    assert reason == (f"The application window closed on {closes} (Korea time). Nothing can "
                      "be changed or submitted any more; what was last saved is kept.")


def test_editing_closed_reason_once_screened(application):
    application.status = ApplicationStatus.ELIGIBLE
    with translation.override("en"):
        assert selectors.editing_closed_reason(application) == (
            "This application has been passed on for screening and review; it can no longer "
            "be changed.")


def test_operator_sees_own_region_submitted_applications_only(demo, role_users_local):
    gb = Call.objects.get(code="2025-GB")
    jn = Call.objects.get(code="2025-JN")
    cluster = Call.objects.get(code="2025-CL")
    gb_submitted = ApplicationFactory(track=gb.tracks.first(), call=gb, submitted=True)
    ApplicationFactory(track=gb.tracks.first(), call=gb)  # a draft stays private
    ApplicationFactory(track=jn.tracks.first(), call=jn, submitted=True)
    cluster_gb = ApplicationFactory(
        track=cluster.tracks.first(), call=cluster, submitted=True,
        company=CompanyFactory(region=Region.objects.get(code="GB")))
    ApplicationFactory(track=cluster.tracks.first(), call=cluster, submitted=True,
                       company=CompanyFactory(region=Region.objects.get(code="JB")))
    visible = set(selectors.applications_for_operator(role_users_local["operator_gb"]))
    assert visible == {gb_submitted, cluster_gb}


def test_counts_per_track(demo, role_users_local):
    gb = Call.objects.get(code="2025-GB")
    advanced, basic = list(gb.tracks.order_by("order"))
    for _ in range(2):
        ApplicationFactory(track=basic, call=gb, submitted=True)
    ApplicationFactory(track=advanced, call=gb, submitted=True)
    ApplicationFactory(track=advanced, call=gb, status=ApplicationStatus.WITHDRAWN,
                       receipt_number="2025-GB-9999")
    rows = selectors.counts_per_track(
        selectors.applications_for_operator(role_users_local["operator_gb"]))
    assert [(row["track"], row["count"], row["active"]) for row in rows] == [
        (advanced, 2, 1), (basic, 2, 2)]


def test_documents_of_member_are_the_company_documents_only(application, member):
    DocumentFactory()  # another company's
    assert set(selectors.documents_of_member(member)) == set(application.documents.all())
    assert application.documents.count() == 4


@pytest.fixture
def role_users_local(db, demo):
    from tests.factories.portal import UserFactory

    return {"operator_gb": UserFactory(email="op@gb.test",
                                       region=Region.objects.get(code="GB"))}
