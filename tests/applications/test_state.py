"""The one state-change mechanism: transition() for one application, transition_many() for
many (award runs), each move checked, saved and audited in one transaction."""

import pytest
from django.utils import translation

from applications import services
from applications.enums import ApplicationStatus as S
from applications.models import Application, StateChange
from tests.factories.applications import ApplicationFactory
from tests.factories.portal import UserFactory

pytestmark = pytest.mark.django_db


def test_transition_moves_saves_and_audits_one_application():
    application = ApplicationFactory(submitted=True)
    staff = UserFactory(is_staff=True)
    services.transition(application, S.ELIGIBLE, actor=staff, reason="요건 충족")
    application.refresh_from_db()
    change = StateChange.objects.get(application=application)
    assert (application.status, change.from_status, change.to_status, change.actor,
            change.reason) == (S.ELIGIBLE, S.SUBMITTED, S.ELIGIBLE, staff, "요건 충족")


def test_transition_refuses_a_move_the_life_cycle_does_not_allow():
    application = ApplicationFactory()
    with translation.override("ko"), pytest.raises(services.TransitionNotAllowed) as refused:
        services.transition(application, S.SELECTED)
    application.refresh_from_db()
    assert (refused.value.messages, application.status, StateChange.objects.count()) == (
        ["신청 상태를 “작성 중”에서 “선정”(으)로 바꿀 수 없습니다."], S.DRAFT, 0)


def test_transition_many_moves_every_application_with_one_audit_row_each():
    scored = [ApplicationFactory(submitted=True, status=S.SCORED) for _ in range(3)]
    staff = UserFactory(is_staff=True)
    moves = {scored[0].pk: S.SELECTED, scored[1].pk: S.WAITLISTED, scored[2].pk: S.NOT_SELECTED}
    moved = services.transition_many(moves, actor=staff, reason="선정 산정 #1")
    statuses = dict(Application.objects.values_list("pk", "status"))
    audit = sorted(StateChange.objects.values_list("application_id", "from_status", "to_status",
                                                   "actor_id", "reason"))
    assert (moved, statuses) == (3, moves)
    assert audit == [(a.pk, S.SCORED, moves[a.pk], staff.pk, "선정 산정 #1") for a in scored]


def test_transition_many_refuses_all_when_one_move_is_not_allowed():
    scored = ApplicationFactory(submitted=True, status=S.SCORED)
    draft = ApplicationFactory()
    with pytest.raises(services.TransitionNotAllowed):
        services.transition_many({scored.pk: S.SELECTED, draft.pk: S.SELECTED})
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert (statuses, StateChange.objects.count()) == ({scored.pk: S.SCORED,
                                                        draft.pk: S.DRAFT}, 0)


def test_transition_many_runs_a_fixed_number_of_queries(django_assert_num_queries):
    scored = [ApplicationFactory(submitted=True, status=S.SCORED) for _ in range(5)]
    # savepoint, lock-and-read, bulk update, bulk insert, release
    with django_assert_num_queries(5):
        services.transition_many({a.pk: S.SELECTED for a in scored})
