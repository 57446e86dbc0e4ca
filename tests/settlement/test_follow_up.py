"""Follow-up (사후관리): once a year for the call's 3 years after settlement the company files
its KPIs and whether the system is in use; a year not due is refused with the rule named;
reminders once (beat); overdue after 30 days, listed for the region's operator; a KPI chart
per project and a call table, exportable."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from projects.changes import add_months
from settlement import services
from settlement.models import FollowUpReport
from tests.factories.portal import UserFactory

from .conftest import inspect_once
from .test_settlement import report


@pytest.fixture
def settled(project, accepted, staff):
    agreement, member = accepted
    report(project, member, [{}])
    settlement = services.preview_settlement(project, user=staff)
    inspect_once(project, staff)
    services.confirm_settlement(settlement, user=staff, today=agreement.period_end)
    return project


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_settlement_schedules_three_yearly_reports(settled, accepted):
    agreement, member = accepted
    assert list(FollowUpReport.objects.values_list("year", "due_on")) == [
        (year, add_months(agreement.period_end, 12 * year)) for year in (1, 2, 3)]


def test_a_report_for_a_year_not_due_is_refused_with_the_rule_named(settled, accepted):
    agreement, member = accepted
    with pytest.raises(services.Refused) as refused:
        services.submit_follow_up(settled, 1, kpis={"productivity": "160"}, in_use=True,
                                  level=3, user=member,
                                  today=add_months(agreement.period_end, 12) - timedelta(1))
    assert refused.value.code == "follow_up_due"
    assert refused.value.messages == [
        "사후관리 보고는 기한이 된 연도에 제출합니다: 1년 차 보고는 아직 기한이 되지 않았습니다."]


def test_a_due_report_is_filed_once(settled, accepted):
    agreement, member = accepted
    due = add_months(agreement.period_end, 12)
    report = services.submit_follow_up(settled, 1, kpis={"productivity": "160"}, in_use=True,
                                       level=3, user=member, today=due)
    assert (report.kpis, report.in_use, report.level) == ({"productivity": "160"}, True, 3)
    with pytest.raises(services.Refused) as refused:
        services.submit_follow_up(settled, 1, kpis={}, in_use=False, level=None, user=member,
                                  today=due)
    assert refused.value.code == "once"


def test_reminders_are_sent_once_when_due(settled, accepted, django_capture_on_commit_callbacks):
    agreement, member = accepted
    due = add_months(agreement.period_end, 12)
    mail.outbox.clear()
    assert services.remind_follow_ups(due - timedelta(1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_follow_ups(due) == 1
    assert services.remind_follow_ups(due + timedelta(1)) == 0
    assert [m.subject for m in mail.outbox] == [
        "[스마트공장 지원 포털] 1년 차 사후관리 보고 기한이 되었습니다"]


def test_overdue_reports_are_listed_for_the_regions_operator(settled, accepted, monkeypatch):
    from settlement import selectors

    agreement, member = accepted
    late = add_months(agreement.period_end, 12) + timedelta(days=31)
    monkeypatch.setattr(selectors, "korea_date", lambda moment: late)
    operator = UserFactory(region=settled.call.region)
    other = UserFactory(region_id=None)
    page = client_for(operator).get("/manage/projects/follow-ups/")
    assert [(r.project_id, r.year) for r in page.context["reports"]] == [(settled.pk, 1)]
    assert client_for(other).get("/manage/projects/follow-ups/").status_code == 404


def test_the_company_files_from_its_project_page_and_sees_the_chart(settled, accepted,
                                                                    monkeypatch):
    from settlement import selectors

    agreement, member = accepted
    due = add_months(agreement.period_end, 12)
    monkeypatch.setattr(selectors, "korea_date", lambda moment: due)
    client = client_for(member)
    page = client.get(f"/projects/{settled.pk}/")
    assert page.context["follow_up_due"].year == 1
    codes = list(page.context["plan_kpis"])
    response = client.post(f"/projects/{settled.pk}/follow-up/",
                           {"year": "1", "in_use": "yes", "level": "2",
                            **{f"kpi_{code}": "99" for code in codes}})
    assert response.status_code == 302
    report = FollowUpReport.objects.get(year=1)
    assert (report.kpis, report.in_use, report.level) == ({c: "99" for c in codes}, True, 2)
    again = client.post(f"/projects/{settled.pk}/follow-up/", {"year": "2", "in_use": "yes"})
    assert again.status_code == 400


@pytest.mark.parametrize("count", [1, 3])
def test_overdue_list_query_count_is_constant(db, role_users, count,
                                              django_assert_num_queries):
    from datetime import date

    from tests.factories.programs import TrackFactory

    from .test_views import make_project

    staff = role_users["staff"]
    track = TrackFactory()
    for _ in range(count):
        FollowUpReport.objects.create(project=make_project(track, staff), year=1,
                                      due_on=date(2020, 1, 1))
    client = client_for(staff)
    with django_assert_num_queries(3):
        response = client.get("/manage/projects/follow-ups/")
    assert len(response.context["reports"]) == count


def test_the_call_table_exports_each_projects_kpis(settled, accepted, staff):
    agreement, member = accepted
    version = agreement.application.versions.order_by("-number").first()
    version.data.setdefault("plan", {})["kpis"] = [
        {"code": "productivity", "baseline": "120", "target": "150"},
        {"code": "defect_rate", "baseline": "3.0", "target": "1.5"}]
    version.save()
    due = add_months(agreement.period_end, 12)
    services.submit_follow_up(settled, 1, kpis={"productivity": "160", "defect_rate": "1.2"},
                              in_use=True, level=None, user=member, today=due)
    response = client_for(staff).get(f"/manage/projects/calls/{settled.call_id}/kpis/?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Receipt number,Company,KPI,Baseline,Target,Year 1,Year 2,Year 3"
    assert lines[1:] == [
        f"{agreement.application.receipt_number},{agreement.application.company.name},"
        "Productivity,120,150,160,,",
        f"{agreement.application.receipt_number},{agreement.application.company.name},"
        "Defect rate,3.0,1.5,1.2,,"]


def test_each_kpi_chart_is_titled_with_the_kpis_name(settled, accepted, monkeypatch):
    from django.utils import translation

    from settlement import selectors

    monkeypatch.setattr(selectors, "plan_kpis", lambda application: {
        "productivity": {"baseline": "120", "target": "150"},
        "energy_use": {"baseline": "9", "target": "7"}})
    agreement, member = accepted
    client = client_for(member)
    with translation.override("ko"):
        page = client.get(f"/projects/{settled.pk}/", HTTP_ACCEPT_LANGUAGE="ko")
    charts = {chart["code"]: chart["label"] for chart in page.context["kpi_charts"]}
    # One of the plan's four KPIs by its name; any other by its code.
    assert charts == {"productivity": "생산성", "energy_use": "energy_use"}
    content = page.content.decode()
    assert '<title id="kpi-productivity-title">생산성</title>' in content
    assert '<title id="kpi-energy_use-title">energy_use</title>' in content


def test_the_follow_up_table_asks_for_a_report_not_a_payment(settled, accepted):
    """The follow-ups' column is when a report is due (제출 기한); 납부 기한 is a refund's."""
    from django.utils import translation

    _agreement, member = accepted
    with translation.override("ko"):
        content = client_for(member).get(f"/projects/{settled.pk}/",
                                         HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert ('<th scope="col">연차</th><th scope="col">제출 기한</th>'
            '<th scope="col">상태</th>') in content
