"""Promotion (추가 선정): previewed, confirmed under the budget-line locks, notified by an
additional selection notice whose agreement clock starts with it; refused after the call's
promotion end date, when stale, and twice."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation

from applications.enums import ApplicationStatus
from applications.models import Application, StateChange
from awards import selectors as award_selectors
from projects import promoting, selectors, services
from projects.enums import NoticeStatus, PromotionStatus
from projects.models import AdditionalNotice, Agreement, CallTerms, PromotionRun
from tests.factories.portal import UserFactory

from .conftest import MUNI, NAT, PROV, build_call, confirm

S = ApplicationStatus


def decline(application, user):
    services.decline_agreement(Agreement.objects.get(application=application), user=user,
                               reason="포기")


def test_promotion_preview_changes_nothing(awarded, staff):
    call, applications, members, run = awarded
    decline(applications[0], members[0])
    advanced = applications[0].track
    promotion = promoting.start_promotion(advanced, user=staff)
    assert promotion.status == PromotionStatus.PREVIEW
    assert list(promotion.lines.values_list("application_id", "waitlist_position",
                                            "promoted")) == [
        (applications[3].pk, 1, True), (applications[4].pk, 2, False)]
    assert promotion.inputs["free"] == {NAT: 200_000_000, PROV: 2_190_000_000,
                                        MUNI: 2_350_000_000}
    applications[3].refresh_from_db()
    assert applications[3].status == S.NOTIFIED


def test_confirmed_promotion_notifies_and_opens_the_agreement_clock(
        awarded, staff, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    decline(applications[0], members[0])
    mail.outbox.clear()
    promotion = promoting.start_promotion(applications[0].track, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        promoting.confirm_promotion(promotion, user=staff)
    promoted = Application.objects.get(pk=applications[3].pk)
    assert promoted.status == S.PROMOTED
    notice = AdditionalNotice.objects.get()
    assert (notice.application_id, notice.status) == (promoted.pk, NoticeStatus.SENT)
    assert notice.file.name == f"notices/promotions/{promotion.pk}/{notice.code}.pdf"
    agreement = Agreement.objects.get(application=promoted)
    assert agreement.noticed_at == notice.generated_at
    assert agreement.deadline == selectors.agreement_deadline(notice.generated_at,
                                                              CallTerms(call=call))
    assert agreement.award == {NAT: 200_000_000, PROV: 80_000_000, MUNI: 0}
    assert agreement.promotion_line.run_id == promotion.pk
    assert [m.to for m in mail.outbox] == [["member3@company.test"]]
    assert mail.outbox[0].subject == "[스마트공장 지원 포털] 추가 선정 통지서가 발급되었습니다"
    assert award_selectors.confirmed_awards(call) == {NAT: 600_000_000, PROV: 240_000_000,
                                                      MUNI: 0}
    change = StateChange.objects.get(application=promoted, to_status=S.PROMOTED)
    assert (change.from_status, change.actor, change.reason) == (
        S.NOTIFIED, staff, f"추가 선정 #{promotion.pk} (산정 기준 버전 2025.1-promotion)")
    assert promotion.events.get().to_status == PromotionStatus.CONFIRMED


def test_promotion_skips_one_that_does_not_fit_and_promotes_the_next(
        jeonbuk, staff, django_capture_on_commit_callbacks):
    """A target of three: three companies at 200,000,000 selected (100,000,000 national each,
    the whole 300,000,000 line), then waitlisted one at 400,000,000 (200,000,000 national) and
    one at 200,000,000. One selected company declines: 100,000,000 national is free; the first
    on the waitlist does not fit and stays waitlisted, the second is promoted."""
    from decimal import Decimal

    from programs.models import BudgetLine
    from tests.factories.applications import MembershipFactory
    from tests.factories.awards import reviewers, scored_application

    call, advanced, basic = jeonbuk
    BudgetLine.objects.filter(call=call, source=NAT).update(amount=300_000_000)
    advanced.target_count = 3
    advanced.save(update_fields=["target_count"])
    panel = reviewers(1)
    costs = [200_000_000, 200_000_000, 200_000_000, 400_000_000, 200_000_000]
    applications = [scored_application(advanced, cost=cost, totals=(Decimal(90) - i,),
                                       panel=panel) for i, cost in enumerate(costs)]
    for index, application in enumerate(applications):
        MembershipFactory(company=application.company,
                          user=UserFactory(email=f"target{index}@company.test"))
    confirm(call, staff, django_capture_on_commit_callbacks)
    decline(applications[0], applications[0].company.memberships.get().user)
    assert selectors.free_on_lines(call)[NAT] == 100_000_000
    promotion = promoting.start_promotion(advanced, user=staff)
    assert promotion.inputs["places"] == 1
    assert list(promotion.lines.values_list("application_id", "promoted")) == [
        (applications[3].pk, False), (applications[4].pk, True)]
    promoting.confirm_promotion(promotion, user=staff)
    assert award_selectors.confirmed_awards(call)[NAT] == 300_000_000
    assert Application.objects.get(pk=applications[3].pk).status == S.NOTIFIED


def test_promotion_after_the_call_end_date_is_refused(awarded, staff):
    call, applications, members, run = awarded
    decline(applications[0], members[0])
    CallTerms.objects.create(call=call, promotion_ends_on=selectors.korea_date(
        timezone.now()) - timedelta(days=1))
    with translation.override("en"), pytest.raises(services.Refused) as refused:
        promoting.start_promotion(applications[0].track, user=staff)
    assert refused.value.messages == [
        f"Promotion of this call closed on "
        f"{(selectors.korea_date(timezone.now()) - timedelta(days=1)).isoformat()}."]


def test_promotion_closes_60_days_after_the_first_notices_by_default(awarded, staff):
    call, applications, members, run = awarded
    first = selectors.first_notice_on(call)
    assert selectors.promotion_ends_on(call) == first + timedelta(days=60)
    with translation.override("en"):
        assert selectors.promotion_refusal(
            applications[0].track, today=first + timedelta(days=61)) == (
            f"Promotion of this call closed on {(first + timedelta(days=60)).isoformat()}.")
        assert selectors.promotion_refusal(applications[0].track,
                                           today=first + timedelta(days=60)) == ""


def test_confirming_twice_and_a_stale_preview_are_refused(awarded, staff):
    call, applications, members, run = awarded
    decline(applications[0], members[0])
    first = promoting.start_promotion(applications[0].track, user=staff)
    second = promoting.start_promotion(applications[0].track, user=staff)
    promoting.confirm_promotion(first, user=staff)
    with translation.override("en"), pytest.raises(services.Refused) as again:
        promoting.confirm_promotion(first, user=staff)
    assert again.value.code == "confirmed"
    with translation.override("en"), pytest.raises(services.Refused) as stale:
        promoting.confirm_promotion(second, user=staff)
    assert stale.value.code == "stale"
    assert PromotionRun.objects.filter(status=PromotionStatus.CONFIRMED).count() == 1


def test_waitlisted_companies_see_their_position(awarded):
    call, applications, members, run = awarded
    assert [(item["line"].application_id, item["position"])
            for item in selectors.company_waitlist_positions(members[4])] == [
        (applications[4].pk, 2)]
    decline(applications[0], members[0])
    promoting.confirm_promotion(promoting.start_promotion(applications[0].track,
                                                        user=UserFactory(is_staff=True)),
                               user=UserFactory(is_staff=True))
    assert [(item["line"].application_id, item["position"])
            for item in selectors.company_waitlist_positions(members[4])] == [
        (applications[4].pk, 1)]
    assert selectors.company_waitlist_positions(members[3]) == []


@pytest.mark.django_db(transaction=True)
def test_two_staff_confirming_promotions_of_one_track_at_once_only_one_applies(
        demo, django_capture_on_commit_callbacks):
    """Two previews of the same track confirmed at the same moment: the budget-line locks let
    one through; the other waits, then finds the figures changed. On PostgreSQL in two
    threads; SQLite (one writer) runs them one after the other."""
    from programs.models import Call
    from tests.factories.awards import close_call

    call = close_call(Call.objects.get(code="2025-JB"))
    tracks = {t.order: t for t in call.tracks.all()}
    jeonbuk = (call, tracks[1], tracks[2])
    staff = UserFactory(email="lead@mss.test", is_staff=True)
    call, applications, members = build_call(jeonbuk)
    confirm(call, staff, django_capture_on_commit_callbacks)
    decline(applications[0], members[0])
    alice = UserFactory(email="alice@mss.test", is_staff=True)
    bob = UserFactory(email="bob@mss.test", is_staff=True)
    runs = [promoting.start_promotion(tracks[1], user=alice),
            promoting.start_promotion(tracks[1], user=bob)]
    results = {}

    def attempt(promotion, user, barrier=None):
        with translation.override("en"):
            try:
                if barrier is not None:
                    barrier.wait(timeout=10)
                promoting.confirm_promotion(promotion, user=user)
                results[user.email] = "confirmed"
            except services.Refused as exc:
                results[user.email] = exc.code

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = []
        for promotion, user in zip(runs, [alice, bob], strict=True):
            def target(promotion=promotion, user=user):
                try:
                    attempt(promotion, user, barrier)
                finally:
                    connection.close()
            threads.append(threading.Thread(target=target))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:
        attempt(runs[0], alice)
        attempt(runs[1], bob)
    assert sorted(results.values()) == ["confirmed", "stale"]
    assert PromotionRun.objects.filter(status=PromotionStatus.CONFIRMED).count() == 1
    assert StateChange.objects.filter(to_status=S.PROMOTED).count() == 1
    assert award_selectors.confirmed_awards(call) == {NAT: 600_000_000, PROV: 240_000_000,
                                                      MUNI: 0}
