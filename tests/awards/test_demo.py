"""The awards demo: ``load_demo`` leaves the Jeonbuk call ready for an award run, whose exact
figures show the national line binding before the 20-company advanced target."""

import pytest
from django.test import Client
from django.utils.module_loading import import_string

from applications.enums import ApplicationStatus
from applications.models import Application
from awards import selectors, services
from awards.demo import MEMBER_EMAIL
from awards.enums import Outcome, RunStatus
from awards.models import Notice
from portal.demo import DEMO_PASSWORD
from portal.management.commands.load_demo import LOADERS
from portal.models import User
from programs.models import Call
from tests.awards.conftest import MUNI, NAT, PROV


def load_before_projects():
    """``load_demo`` up to the post-award part (``projects.demo``), which confirms this run
    itself (tests/projects/test_demo.py): the Jeonbuk call as the awards demo leaves it."""
    for path, _needs_accounts in LOADERS:
        if path == "projects.demo.load":
            break
        import_string(path)()
    import_string("accounts.demo.load")()  # the accounts' consent, as load_demo ends


@pytest.fixture
def loaded(settings, db):
    settings.DEBUG = True
    load_before_projects()
    return Call.objects.get(code="2025-JB")


def test_demo_jeonbuk_is_fully_scored_and_can_be_awarded(loaded):
    statuses = list(Application.objects.filter(call=loaded).values_list("status", flat=True))
    assert statuses == [ApplicationStatus.SCORED] * 20
    assert selectors.refusal_reason(loaded) == ""


def test_demo_jeonbuk_award_run_exact_figures(loaded, django_capture_on_commit_callbacks):
    staff = User.objects.get(email="staff@demo.smartfactory.kr")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(loaded, user=staff)
    run.refresh_from_db()
    assert run.status == RunStatus.PREVIEW
    lines = list(run.lines.select_related("track").order_by("position"))
    advanced = [line for line in lines if line.track.order == 1]
    basic = [line for line in lines if line.track.order == 2]
    # 13 advanced at 400,000,000: 200,000,000 national each, so the 2,000,000,000 line funds
    # exactly 10 of the 20 places; three are waitlisted.
    assert [line.outcome for line in advanced] == [Outcome.SELECTED] * 10 + \
        [Outcome.WAITLISTED] * 3
    assert {(line.national, line.provincial, line.municipal) for line in advanced} == {
        (200_000_000, 80_000_000, 0)}
    # Basic: 30% + 30% within the 70,000,000 cap; the last scored 67.00, below the cut-off.
    assert [(line.outcome, line.provincial + line.municipal) for line in basic] == [
        (Outcome.SELECTED, 60_000_000), (Outcome.SELECTED, 54_000_000),
        (Outcome.SELECTED, 60_000_000), (Outcome.SELECTED, 48_000_000),
        (Outcome.SELECTED, 60_000_000), (Outcome.SELECTED, 42_000_000),
        (Outcome.NOT_SELECTED, 60_000_000)]
    assert basic[-1].final_score == 67
    assert selectors.run_awards(run) == {NAT: 2_000_000_000, PROV: 800_000_000 + 162_000_000,
                                         MUNI: 162_000_000}


def test_demo_company_downloads_its_notice_after_confirmation(
        loaded, django_capture_on_commit_callbacks):
    staff = User.objects.get(email="staff@demo.smartfactory.kr")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(loaded, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run, user=staff)
    client = Client()
    assert client.login(username=MEMBER_EMAIL, password=DEMO_PASSWORD)
    notice = Notice.objects.get(application__company__memberships__user__email=MEMBER_EMAIL)
    response = client.get(f"/notices/{notice.pk}/download/")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_load_demo_twice_leaves_the_awards_demo_as_it_was(loaded):
    load_before_projects()
    assert Application.objects.filter(call=loaded).count() == 20
    assert Application.objects.filter(call=loaded, status=ApplicationStatus.SCORED).count() \
        == 20


@pytest.mark.django_db
def test_each_demo_plan_version_records_the_support_it_asks_for():
    """A demo application's submitted version carries its requested support, as a real
    submission's does (the dashboard shows it beside the version): the §3 rule on its cost."""
    from applications.models import PlanVersion
    from applications.selectors import support_for

    load_before_projects()
    versions = list(PlanVersion.objects.filter(application__call__code="2025-JB")
                    .select_related("application__track"))
    assert versions
    assert [v.requested_support for v in versions] == [
        support_for(v.application.track, v.total_cost).total for v in versions]
    assert all(v.requested_support > 0 for v in versions)
