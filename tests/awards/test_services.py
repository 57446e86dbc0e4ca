"""Award runs: start, compute (preview), confirm under budget-line locks."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from applications.enums import ApplicationStatus
from applications.models import Application, PlanVersion, StateChange
from awards import selectors, services
from awards.allocation import RULE_VERSION, allocate_stored, inputs_hash
from awards.enums import NoticeStatus, Outcome, RunStatus
from awards.models import AwardRun, Notice, ResultLine
from awards.services import AwardRunRefused
from programs.models import BudgetLine
from tests.awards.conftest import MUNI, NAT, PROV
from tests.factories.awards import close_call, reviewers, scored_application
from tests.factories.portal import UserFactory
from tests.factories.programs import BudgetLineFactory, FundingShareFactory, TrackFactory

BUDGET_REFUSAL = (
    "The budget line “National (MSS)” would be exceeded: 2,000,000,000 won already confirmed "
    "plus 2,000,000,000 won in this run is more than its 2,000,000,000 won. Another run may "
    "have been confirmed meanwhile; start a new run.")


def line_tuples(run):
    return [
        (line.position, line.application_id, line.track_id, line.outcome, line.rank,
         line.waitlist_position, line.final_score, line.project_cost, line.eligible_cost,
         line.national, line.provincial, line.municipal, line.contribution_cash,
         line.contribution_in_kind)
        for line in ResultLine.objects.filter(run=run).order_by("position")
    ]


def start(call, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=user)
    run.refresh_from_db()
    return run


def confirm(run, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run, user=user)
    run.refresh_from_db()
    return run


# --- Starting and computing


def test_start_run_computes_a_preview_and_changes_no_application(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks):
    call, adv, bas = jeonbuk_scored
    run = start(call, staff, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.PREVIEW
    assert run.started_by == staff
    assert run.rule_version == RULE_VERSION
    assert run.inputs_hash == inputs_hash(run.inputs, RULE_VERSION)
    outcomes = [line.outcome for line in ResultLine.objects.filter(run=run)
                .order_by("position")]
    assert outcomes == [Outcome.SELECTED] * 10 + [Outcome.WAITLISTED] * 5 + \
        [Outcome.SELECTED] * 3
    assert set(Application.objects.filter(call=call).values_list("status", flat=True)) == \
        {ApplicationStatus.SCORED}
    assert StateChange.objects.filter(application__call=call).count() == 0


def test_compute_run_jeonbuk_national_line_binds_before_the_20_company_target(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks):
    call, adv, bas = jeonbuk_scored
    run = start(call, staff, django_capture_on_commit_callbacks)
    lines = {line.application_id: line for line in ResultLine.objects.filter(run=run)}

    first = lines[adv[0].pk]
    assert (first.outcome, first.rank, first.final_score) == (Outcome.SELECTED, 1,
                                                              Decimal("90.00"))
    assert (first.project_cost, first.eligible_cost) == (400_000_000, 400_000_000)
    assert (first.national, first.provincial, first.municipal) == (200_000_000, 80_000_000, 0)
    assert (first.contribution_cash, first.contribution_in_kind) == (120_000_000, 0)
    eleventh = lines[adv[10].pk]
    assert (eleventh.outcome, eleventh.rank, eleventh.waitlist_position) == \
        (Outcome.WAITLISTED, 11, 1)
    basic = lines[bas[0].pk]
    assert (basic.national, basic.provincial, basic.municipal) == (0, 30_000_000, 30_000_000)
    assert (basic.contribution_cash, basic.contribution_in_kind) == (30_000_000, 10_000_000)
    assert selectors.run_awards(run) == {NAT: 2_000_000_000, PROV: 890_000_000,
                                         MUNI: 90_000_000}
    summary = selectors.run_summary(run)
    assert summary.counts == {"selected": 13, "waitlisted": 5, "not_selected": 0}
    assert [(use.source, use.available, use.awarded, use.remaining)
            for use in summary.sources] == [
        (NAT, 2_000_000_000, 2_000_000_000, 0),
        (PROV, 2_350_000_000, 890_000_000, 1_460_000_000),
        (MUNI, 2_350_000_000, 90_000_000, 2_260_000_000),
    ]


def test_compute_run_twice_with_the_same_inputs_gives_the_same_lines(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks):
    call, _adv, _bas = jeonbuk_scored
    first = start(call, staff, django_capture_on_commit_callbacks)
    second = start(call, staff, django_capture_on_commit_callbacks)
    assert second.pk != first.pk
    assert second.inputs_hash == first.inputs_hash
    assert second.inputs == first.inputs
    assert line_tuples(second) == line_tuples(first)
    assert len(line_tuples(first)) == 18


def test_compute_run_stored_inputs_alone_reproduce_every_line(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks):
    call, _adv, _bas = jeonbuk_scored
    run = start(call, staff, django_capture_on_commit_callbacks)
    again = allocate_stored(AwardRun.objects.get(pk=run.pk).inputs)
    assert [(position, line.application_id, line.outcome, line.shares.get(NAT, 0),
             line.shares.get(PROV, 0), line.shares.get(MUNI, 0), line.contribution_cash,
             line.contribution_in_kind)
            for position, line in enumerate(again.lines, start=1)] == [
        (t[0], t[1], t[3], t[9], t[10], t[11], t[12], t[13]) for t in line_tuples(run)]


def test_start_run_refused_while_reviews_are_open(jeonbuk_scored, staff, panel):
    call, adv, _bas = jeonbuk_scored
    scored_application(adv[0].track, cost=100_000_000, panel=panel,
                       status=ApplicationStatus.UNDER_REVIEW)
    with translation.override("en"), pytest.raises(AwardRunRefused) as refused:
        services.start_run(call, user=staff)
    assert refused.value.message == (
        "1 application of this call is still being screened or reviewed; an award run can "
        "start once every application is scored.")
    assert AwardRun.objects.count() == 0


def test_start_run_refused_with_no_scored_application(jeonbuk, staff):
    call, _advanced, _basic = jeonbuk
    with translation.override("en"), pytest.raises(AwardRunRefused) as refused:
        services.start_run(call, user=staff)
    assert refused.value.message == (
        "No application of this call is scored: there is nothing to award.")
    assert AwardRun.objects.count() == 0


def test_start_run_refused_while_applications_wait_for_screening_in_korean(
        jeonbuk_scored, staff, panel):
    call, adv, _bas = jeonbuk_scored
    for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE):
        scored_application(adv[0].track, cost=100_000_000, panel=panel, status=status)
    with translation.override("ko"), pytest.raises(AwardRunRefused) as refused:
        services.start_run(call, user=staff)
    assert refused.value.message == (
        "이 공모의 신청 2건이 아직 검토 또는 평가 중입니다. 모든 신청의 평가가 끝나야 선정 "
        "산정을 시작할 수 있습니다.")
    assert AwardRun.objects.count() == 0


def test_start_run_while_the_call_is_still_open_is_allowed_with_a_warning(
        demo, staff, panel, django_capture_on_commit_callbacks):
    from programs.models import Call

    call = Call.objects.get(code="2025-GB")
    assert call.is_open is True
    scored_application(call.tracks.get(order=2), cost=100_000_000, panel=panel)
    closes = timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")
    with translation.override("ko"):
        assert selectors.open_call_warning(call) == (
            f"{closes}까지 신청을 접수하고 있습니다. 지금 산정하면 이후 제출되는 신청은 "
            "포함되지 않습니다.")
    run = start(call, staff, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.PREVIEW


def test_compute_run_refused_when_a_review_reopens_before_it_runs(jeonbuk_scored, staff):
    call, adv, _bas = jeonbuk_scored
    run = services.start_run(call, user=staff)  # on_commit never runs: the task is not run
    Application.objects.filter(pk=adv[3].pk).update(status=ApplicationStatus.UNDER_REVIEW)
    with translation.override("en"):  # stored in the site's language whoever computes it
        services.compute_run(run.pk)
    run.refresh_from_db()
    assert (run.status, run.refusal_reason) == (
        RunStatus.REFUSED,
        "이 공모의 신청 1건이 아직 검토 또는 평가 중입니다. 모든 신청의 평가가 끝나야 선정 "
        "산정을 시작할 수 있습니다.")
    assert ResultLine.objects.filter(run=run).count() == 0


def test_compute_run_again_leaves_a_computed_run_as_it_is(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks):
    call, _adv, _bas = jeonbuk_scored
    run = start(call, staff, django_capture_on_commit_callbacks)
    before = line_tuples(run)
    assert services.compute_run(run.pk).status == RunStatus.PREVIEW
    assert line_tuples(run) == before


def test_compute_run_refused_when_a_scored_application_has_no_plan(jeonbuk, staff, panel):
    call, advanced, _basic = jeonbuk
    application = scored_application(advanced, cost=100_000_000, panel=panel)
    PlanVersion.objects.filter(application=application).delete()
    run = services.start_run(call, user=staff)
    services.compute_run(run.pk)
    run.refresh_from_db()
    assert (run.status, run.refusal_reason) == (
        RunStatus.REFUSED,
        "평가 완료된 모든 신청에는 점수와 제출된 사업계획서가 있어야 합니다. 제출된 평가가 "
        "없는 신청 0건, 사업계획서 제출본이 없는 신청 1건이 있습니다.")


def test_compute_run_uses_the_latest_plan_version(jeonbuk, staff, panel,
                                                  django_capture_on_commit_callbacks):
    call, advanced, _basic = jeonbuk
    application = scored_application(advanced, cost=100_000_000, panel=panel)
    PlanVersion.objects.create(application=application, number=2, data={}, total_cost=300_000_000,
                               requested_support=0)
    run = start(call, staff, django_capture_on_commit_callbacks)
    line = ResultLine.objects.get(run=run)
    assert (line.project_cost, line.national, line.provincial) == (300_000_000, 150_000_000,
                                                                   60_000_000)


# --- Confirming


def test_confirm_run_moves_every_application_through_transition_in_one_go(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks, mailoutbox):
    call, adv, bas = jeonbuk_scored
    run = start(call, staff, django_capture_on_commit_callbacks)
    with translation.override("en"):
        run = confirm(run, staff, django_capture_on_commit_callbacks)

    assert (run.status, run.confirmed_by) == (RunStatus.CONFIRMED, staff)
    changes = StateChange.objects.filter(application__call=call, actor=staff).order_by("pk")
    assert [(c.from_status, c.to_status) for c in changes[:1]] == [
        (ApplicationStatus.SCORED, ApplicationStatus.SELECTED)]
    assert changes.count() == 18
    assert changes.first().reason == f"선정 산정 #{run.pk} (산정 기준 버전 {RULE_VERSION})"
    by_outcome = {}
    for line in ResultLine.objects.filter(run=run):
        by_outcome.setdefault(line.outcome, set()).add(line.application_id)
    assert by_outcome[Outcome.WAITLISTED] == {a.pk for a in adv[10:]}
    # The notices were generated and every application is notified.
    assert Notice.objects.filter(run=run).count() == 18
    assert Notice.objects.filter(run=run, status=NoticeStatus.SENT).count() == 18
    assert set(Application.objects.filter(call=call).values_list("status", flat=True)) == \
        {ApplicationStatus.NOTIFIED}
    dashboard = selectors.budget_dashboard(call)
    assert [(line.source, line.allocated, line.remaining) for line in dashboard.lines] == [
        (NAT, 2_000_000_000, 0), (PROV, 890_000_000, 1_460_000_000),
        (MUNI, 90_000_000, 2_260_000_000)]
    assert [(use.track.order, use.selected, use.target, use.waitlisted)
            for use in dashboard.tracks] == [(1, 10, 20, 5), (2, 3, 15, 0)]


def test_confirm_run_a_second_preview_is_refused_by_the_budget(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks):
    call, _adv, _bas = jeonbuk_scored
    first = start(call, staff, django_capture_on_commit_callbacks)
    second = start(call, staff, django_capture_on_commit_callbacks)
    confirm(first, staff, django_capture_on_commit_callbacks)
    with translation.override("en"), pytest.raises(AwardRunRefused) as refused:
        services.confirm_run(second, user=staff)
    assert refused.value.message == BUDGET_REFUSAL
    second.refresh_from_db()
    assert second.status == RunStatus.PREVIEW
    assert selectors.confirmed_awards(call)[NAT] == 2_000_000_000


def test_confirm_run_twice_is_refused_the_second_time(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks):
    call, _adv, _bas = jeonbuk_scored
    run = start(call, staff, django_capture_on_commit_callbacks)
    confirm(run, staff, django_capture_on_commit_callbacks)
    with translation.override("en"), pytest.raises(AwardRunRefused) as refused:
        services.confirm_run(run, user=staff)
    assert refused.value.message.startswith("This run was already confirmed by 선정 담당자 at ")
    assert StateChange.objects.filter(to_status=ApplicationStatus.SELECTED).count() == 13


def test_confirm_run_refused_when_a_plan_changed_since_the_preview(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks):
    call, adv, _bas = jeonbuk_scored
    run = start(call, staff, django_capture_on_commit_callbacks)
    PlanVersion.objects.create(application=adv[0], number=2, data={}, total_cost=10_000_000,
                               requested_support=0)
    with translation.override("en"), pytest.raises(AwardRunRefused) as refused:
        services.confirm_run(run, user=staff)
    assert refused.value.message == (
        "Scores, plans, rules or budgets of this call have changed since this preview was "
        "computed (or another run was confirmed). Start a new run.")
    assert Application.objects.get(pk=adv[0].pk).status == ApplicationStatus.SCORED


def test_confirm_run_refused_when_a_budget_line_was_cut_below_the_run(
        jeonbuk_scored, staff, django_capture_on_commit_callbacks):
    call, _adv, _bas = jeonbuk_scored
    run = start(call, staff, django_capture_on_commit_callbacks)
    BudgetLine.objects.filter(call=call, source=NAT).update(amount=1_500_000_000)
    with translation.override("en"), pytest.raises(AwardRunRefused) as refused:
        services.confirm_run(run, user=staff)
    assert refused.value.message == (
        "The budget line “National (MSS)” would be exceeded: 0 won already confirmed plus "
        "2,000,000,000 won in this run is more than its 1,500,000,000 won. Another run may "
        "have been confirmed meanwhile; start a new run.")


def test_second_run_after_a_confirmation_awards_only_what_the_lines_have_left(
        jeonbuk_scored, staff, panel, django_capture_on_commit_callbacks):
    call, adv, _bas = jeonbuk_scored
    confirm(start(call, staff, django_capture_on_commit_callbacks), staff,
            django_capture_on_commit_callbacks)
    late = scored_application(adv[0].track, cost=100_000_000, totals=(Decimal(95),),
                              panel=panel)
    run = start(call, staff, django_capture_on_commit_callbacks)
    line = ResultLine.objects.get(run=run)
    # First in rank, but the national line has nothing left: waitlisted.
    assert (line.application_id, line.outcome, line.rank) == (late.pk, Outcome.WAITLISTED, 1)
    assert run.inputs["budget_lines"][0] == {
        "id": BudgetLine.objects.get(call=call, source=NAT).pk, "source": NAT,
        "amount": 2_000_000_000, "committed": 2_000_000_000}
    assert [t["already_selected"] for t in run.inputs["tracks"]] == [10, 3]


@pytest.mark.django_db(transaction=True)
def test_confirm_run_two_staff_at_once_only_one_applies(demo):
    """Two previews of the same call confirmed at the same moment: the budget-line locks let
    one through; the other waits, then is refused with the budget message. On SQLite (no row
    locks, one writer at a time) the same two confirmations run one after the other."""
    from programs.models import Call

    call = close_call(Call.objects.get(code="2025-JB"))
    advanced = call.tracks.get(order=1)
    panel = reviewers(1)
    for i in range(12):
        scored_application(advanced, cost=400_000_000, totals=(Decimal(90) - i,), panel=panel)
    alice = UserFactory(email="alice@mss.test", is_staff=True)
    bob = UserFactory(email="bob@mss.test", is_staff=True)
    runs = [services.start_run(call, user=alice), services.start_run(call, user=bob)]
    assert [AwardRun.objects.get(pk=r.pk).status for r in runs] == [RunStatus.PREVIEW] * 2

    results = {}

    def attempt(run, user, barrier=None):
        with translation.override("en"):
            try:
                if barrier is not None:
                    barrier.wait(timeout=10)
                services.confirm_run(run, user=user)
                results[user.email] = "confirmed"
            except AwardRunRefused as exc:
                results[user.email] = exc.message

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = []
        for run, user in zip(runs, [alice, bob], strict=True):
            def target(run=run, user=user):
                try:
                    attempt(run, user, barrier)
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

    assert sorted(results.values()) == sorted(["confirmed", BUDGET_REFUSAL])
    assert AwardRun.objects.filter(status=RunStatus.CONFIRMED).count() == 1
    assert AwardRun.objects.filter(status=RunStatus.PREVIEW).count() == 1
    assert selectors.confirmed_awards(call) == {NAT: 2_000_000_000, PROV: 800_000_000,
                                                MUNI: 0}
    assert StateChange.objects.filter(to_status=ApplicationStatus.SELECTED).count() == 10
    assert Notice.objects.count() == 12


def test_run_with_a_factory_call_and_a_source_without_a_line(
        db, staff, panel, django_capture_on_commit_callbacks):
    track = TrackFactory(target_count=None, max_project_cost=None)
    FundingShareFactory(track=track, source=PROV, rate=Decimal("0.3"))
    FundingShareFactory(track=track, source=MUNI, rate=Decimal("0.2"))
    BudgetLineFactory(call=track.call, source=PROV, amount=100_000_000)
    call = close_call(track.call)
    applications = [scored_application(track, cost=100_000_000, totals=(Decimal(80) - i,),
                                       panel=panel) for i in range(2)]
    run = start(call, staff, django_capture_on_commit_callbacks)
    # No municipal line: a share of that source never fits, so nobody can be selected.
    assert [(line.application_id, line.outcome) for line in run.lines.order_by("position")] \
        == [(applications[0].pk, Outcome.WAITLISTED), (applications[1].pk, Outcome.WAITLISTED)]
