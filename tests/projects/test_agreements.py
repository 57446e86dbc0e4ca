"""Agreements: opened by the selection notice, saved, accepted (a frozen version and its PDF),
declined, lapsed and cancelled, each releasing the award on the budget lines."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from applications.enums import ApplicationStatus
from applications.models import StateChange
from applications.selectors import eligibility_failures
from awards import selectors as award_selectors
from awards.enums import Outcome
from awards.models import ResultLine
from companies.models import Exclusion
from projects import selectors, services
from projects.changes import add_months
from projects.models import Agreement, AgreementVersion
from tests.factories.awards import scored_application

from .conftest import MUNI, NAT, PROV

SEOUL = ZoneInfo("Asia/Seoul")
S = ApplicationStatus


def values(agreement, **changes):
    base = {"period_months": agreement.period_months, "supplier": None,
            "supplier_name": "스마트솔루션", "supplier_registration_number": "1248100998",
            "cost_software": agreement.cost_software, "cost_hardware": agreement.cost_hardware,
            "cost_consulting": agreement.cost_consulting, "cost_other": agreement.cost_other,
            "contribution_cash": 70_000_000, "contribution_in_kind": 50_000_000,
            "bank_name": "전북은행", "account_number": "1021-01-234567",
            "account_holder": agreement.application.company.name}
    base.update(changes)
    return base


def agreement_of(application) -> Agreement:
    return Agreement.objects.select_related("application__call", "application__track",
                                            "application__company").get(
        application=application)


def accept(agreement, user, capture, **changes):
    with capture(execute=True):
        return services.accept_agreement(agreement, values(agreement, **changes), user=user,
                                         revision=agreement.revision)


def test_selection_notice_opens_an_agreement_with_a_korean_deadline(awarded):
    call, applications, members, run = awarded
    assert sorted(Agreement.objects.values_list("application_id", flat=True)) == \
        [a.pk for a in applications[:3]]
    agreement = agreement_of(applications[0])
    notice = agreement.application.notices.get()
    noticed_on = timezone.localtime(notice.generated_at, SEOUL).date()
    assert agreement.noticed_at == notice.generated_at
    assert agreement.deadline == datetime.combine(noticed_on + timedelta(days=15),
                                                  datetime.min.time(), tzinfo=SEOUL)
    assert agreement.award == {NAT: 200_000_000, PROV: 80_000_000, MUNI: 0}
    assert agreement.shares == agreement.award
    assert (agreement.total_cost, agreement.contribution_cash,
            agreement.contribution_in_kind) == (400_000_000, 70_000_000, 50_000_000)
    assert agreement.period_months == 6
    assert agreement.application.status == S.NOTIFIED
    assert agreement.is_open is True


def test_accept_freezes_a_version_with_its_pdf_and_moves_to_agreement(
        awarded, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    now = timezone.now()
    version = accept(agreement, members[0], django_capture_on_commit_callbacks)
    version.refresh_from_db()
    agreement.refresh_from_db()
    today = timezone.localtime(now, SEOUL).date()
    assert version.number == 1
    assert version.is_ready is True
    assert version.file.name == f"agreements/{agreement.pk}/{version.code}.pdf"
    assert version.data["support"] == {NAT: 200_000_000, PROV: 80_000_000, MUNI: 0}
    assert version.data["account"] == {"bank": "전북은행", "number": "1021-01-234567",
                                       "holder": applications[0].company.name}
    assert agreement.period_start == today
    assert agreement.period_end == selectors.project_period(today, 6)[1]
    assert agreement.design_due.month == (today.month + 2) % 12 + 1
    assert agreement.application.status == S.AGREEMENT
    change = StateChange.objects.filter(application=applications[0]).order_by("-pk").first()
    assert (change.from_status, change.to_status, change.actor) == (
        S.NOTIFIED, S.AGREEMENT, members[0])
    assert change.reason == f"협약 수락 (제1판, {version.code})"
    assert [m.to for m in mail.outbox] == [["member0@company.test"]]
    assert mail.outbox[0].subject == "[스마트공장 지원 포털] 협약서 제1판이 준비되었습니다"


def test_accept_twice_returns_the_same_version(awarded, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    first = accept(agreement, members[0], django_capture_on_commit_callbacks)
    again = services.accept_agreement(agreement, values(agreement), user=members[0],
                                      revision=agreement.revision)
    assert again.pk == first.pk
    assert AgreementVersion.objects.count() == 1


def test_accept_after_another_member_saved_is_refused(awarded):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    seen = agreement.revision
    services.save_agreement(agreement, values(agreement, cost_other=10_000_000,
                                              contribution_cash=80_000_000),
                            user=members[0], revision=seen)
    with translation.override("en"), pytest.raises(services.Refused) as refused:
        services.accept_agreement(agreement, values(agreement), user=members[0], revision=seen)
    assert refused.value.code == "stale"
    assert "changed this agreement" in refused.value.messages[0]
    assert AgreementVersion.objects.count() == 0


def test_accept_after_the_deadline_is_refused(awarded):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    with translation.override("en"), pytest.raises(services.Refused) as refused:
        services.accept_agreement(agreement, values(agreement), user=members[0],
                                  revision=agreement.revision,
                                  now=agreement.deadline + timedelta(seconds=1))
    assert refused.value.code == "deadline"
    assert AgreementVersion.objects.count() == 0


def test_a_higher_cost_keeps_the_support_at_the_award(awarded):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    saved = services.save_agreement(
        agreement, values(agreement, cost_other=100_000_000, contribution_cash=170_000_000),
        user=members[0], revision=agreement.revision)
    assert saved.shares == {NAT: 200_000_000, PROV: 80_000_000, MUNI: 0}
    assert saved.total_cost == 500_000_000


def test_a_lower_cost_lowers_the_support(awarded):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    saved = services.save_agreement(
        agreement, values(agreement, cost_software=100_000_000, cost_hardware=100_000_000,
                          contribution_cash=30_000_000, contribution_in_kind=30_000_000),
        user=members[0], revision=agreement.revision)
    assert saved.shares == {NAT: 100_000_000, PROV: 40_000_000, MUNI: 0}


def test_cash_below_the_minimum_share_is_refused_with_the_rule_named(awarded):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.save_agreement(agreement, values(agreement, contribution_cash=50_000_000,
                                                  contribution_in_kind=70_000_000),
                                user=members[0], revision=agreement.revision)
    assert refused.value.message_dict == {"contribution_cash": [
        "Minimum cash share: at least 50% of the contribution, KRW 60,000,000, is paid in "
        "cash."]}


def test_decline_releases_the_award_in_the_same_transaction(awarded):
    call, applications, members, run = awarded
    before = award_selectors.confirmed_awards(call)
    assert before == {NAT: 600_000_000, PROV: 240_000_000, MUNI: 0}
    services.decline_agreement(agreement_of(applications[1]), user=members[1],
                               reason="자금 사정")
    assert award_selectors.confirmed_awards(call) == {NAT: 400_000_000, PROV: 160_000_000,
                                                      MUNI: 0}
    application = applications[1]
    application.refresh_from_db()
    assert application.status == S.DECLINED
    change = StateChange.objects.filter(application=application).order_by("-pk").first()
    assert (change.from_status, change.to_status, change.reason) == (
        S.NOTIFIED, S.DECLINED, "자금 사정")
    assert selectors.free_on_lines(call) == {NAT: 200_000_000, PROV: 2_190_000_000,
                                             MUNI: 2_350_000_000}


def test_decline_without_a_reason_is_refused(awarded):
    call, applications, members, run = awarded
    with pytest.raises(ValidationError):
        services.decline_agreement(agreement_of(applications[1]), user=members[1], reason=" ")


def test_lapse_happens_once_whether_run_twice_or_a_day_late(
        awarded, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[2])
    assert services.lapse_due(agreement.deadline - timedelta(seconds=1)) == 0
    late = agreement.deadline + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.lapse_due(late) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert services.lapse_due(late) == 0
        assert services.lapse_due(late + timedelta(minutes=1)) == 0
    assert StateChange.objects.filter(to_status=S.LAPSED).count() == 3
    assert award_selectors.confirmed_awards(call) == {NAT: 0, PROV: 0, MUNI: 0}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "member0@company.test", "member1@company.test", "member2@company.test"]


def test_accepted_agreement_never_lapses(awarded, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    accept(agreement, members[0], django_capture_on_commit_callbacks)
    assert services.lapse_due(agreement.deadline + timedelta(days=1)) == 2
    applications[0].refresh_from_db()
    assert applications[0].status == S.AGREEMENT


def test_cancel_for_false_documents_bars_the_company_everywhere(awarded, staff, demo):
    call, applications, members, run = awarded
    company = applications[0].company
    services.cancel_selection(agreement_of(applications[0]), user=staff,
                              reason="허위 서류 제출", exclude=True)
    applications[0].refresh_from_db()
    assert applications[0].status == S.CANCELLED
    exclusion = Exclusion.objects.get()
    today = selectors.korea_date(timezone.now())
    assert (exclusion.registration_number, exclusion.reason, exclusion.starts_on) == (
        company.registration_number, "허위 서류 제출", today)
    assert exclusion.ends_on == add_months(today, 36)
    from programs.models import Call

    other = Call.objects.get(code="2025-GB")
    company.region = other.region
    with translation.override("en"):
        failures = eligibility_failures(company, other)
    assert [(f.rule, f.message) for f in failures if f.rule == "excluded"] == [
        ("excluded", f"The business registration number {company.registration_number_display} "
                     f"is barred from the programmes (참여제한) until "
                     f"{exclusion.ends_on.isoformat()}: 허위 서류 제출")]
    assert award_selectors.confirmed_awards(call)[NAT] == 400_000_000


def test_waitlisted_and_not_selected_applications_get_no_agreement(awarded):
    call, applications, members, run = awarded
    lines = dict(ResultLine.objects.filter(run=run).values_list("application_id", "outcome"))
    assert [lines[a.pk] for a in applications] == [Outcome.SELECTED] * 3 + [
        Outcome.WAITLISTED] * 2 + [Outcome.NOT_SELECTED]
    assert not Agreement.objects.filter(application__in=applications[3:]).exists()


def test_hourly_check_opens_an_agreement_the_receiver_missed(awarded):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    Agreement.objects.filter(pk=agreement.pk).delete()
    assert services.hourly_check(timezone.now()) == {"opened": 1, "lapsed": 0, "reminded": 0}
    assert agreement_of(applications[0]).award_total == 280_000_000


def test_an_award_run_after_a_decline_sees_the_freed_budget(awarded, staff, jeonbuk):
    call, applications, members, run = awarded
    services.decline_agreement(agreement_of(applications[0]), user=members[0], reason="포기")
    late = scored_application(jeonbuk[1], cost=400_000_000, totals=(95,))
    from awards.selectors import run_inputs

    inputs = run_inputs(call)
    assert [c["application_id"] for c in inputs["candidates"]] == [late.pk]
    assert inputs["budget_lines"][0]["committed"] == 400_000_000
