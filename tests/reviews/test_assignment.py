"""Automatic assignment's exact outcome, pinned (issue 16 goal 3 made it fast; the choice it
makes for a given round must stay the one it made before): which reviewer gets which
application, in which order, who is short, the audit rows and the states, on a round that
meets every rule at once — conflicts by company, pool supplier and typed-in supplier number,
a declared conflict, a released assignment, a reviewer off the committee, an inactive one, an
exempt application, one not screened, existing loads and co-review groups."""

from collections import Counter

import pytest
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.enums import ApplicationStatus
from applications.models import Application, StateChange
from reviews import balancing, coreview, services
from reviews.enums import ConflictStatus, ReviewAction
from reviews.models import Assignment, ReviewEvent, RoundExemption
from tests.factories.applications import ApplicationFactory, SupplierFactory
from tests.factories.portal import UserFactory
from tests.factories.programs import TrackFactory
from tests.factories.reviews import (
    AssignmentFactory,
    EvaluationRoundFactory,
    ReviewerProfileFactory,
)
from tests.reviews.test_services import eligible

pytestmark = pytest.mark.django_db


def round_with_every_rule():
    """Ten applications a0…a9 and reviewers r0…r6 on the call's committee (r6 inactive), rx
    off it. a1's company, a2's pool supplier and a3's typed-in supplier have r0's, r1's and
    r2's registration numbers; a4 is under review with r3 (counting) and r4 (declared a
    conflict); a5 had r5 (released) and has rx; a6 is exempt; a7 is only submitted."""
    evaluation_round = EvaluationRoundFactory()
    call = evaluation_round.call
    supplier = SupplierFactory()
    applications = []
    for index in range(10):
        if index == 7:
            application = ApplicationFactory(track=TrackFactory(call=call), submitted=True)
        elif index == 2:
            application = eligible(evaluation_round, supplier=supplier)
        elif index == 3:
            application = eligible(evaluation_round, supplier_name="외부공급",
                                   supplier_registration_number="2208162517")
        else:
            application = eligible(evaluation_round)
        applications.append(application)
    numbers = {0: applications[1].company.registration_number,
               1: supplier.registration_number, 2: "2208162517"}
    reviewers = [ReviewerProfileFactory(calls=[call], active=index != 6,
                                        **({"organisation_registration_number": numbers[index]}
                                           if index in numbers else {}))
                 for index in range(7)]
    outsider = ReviewerProfileFactory()
    a4, a5 = applications[4], applications[5]
    Application.objects.filter(pk=a4.pk).update(status=ApplicationStatus.UNDER_REVIEW)
    AssignmentFactory(round=evaluation_round, application=a4, reviewer=reviewers[3],
                      conflict=ConflictStatus.PENDING)
    AssignmentFactory(round=evaluation_round, application=a4, reviewer=reviewers[4],
                      conflict=ConflictStatus.DECLARED, conflict_reason="전 직장")
    AssignmentFactory(round=evaluation_round, application=a5, reviewer=reviewers[5],
                      released_at=timezone.now())
    AssignmentFactory(round=evaluation_round, application=a5, reviewer=outsider)
    RoundExemption.objects.create(round=evaluation_round, application=applications[6],
                                  reason="발표 평가만")
    labels = {r.pk: f"r{index}" for index, r in enumerate(reviewers)} | {outsider.pk: "rx"}
    names = {a.pk: f"a{index}" for index, a in enumerate(applications)}
    return evaluation_round, applications, labels, names


def pairs(assignments, labels, names):
    return [(names[a.application_id], labels[a.reviewer_id]) for a in assignments]


def test_auto_assign_of_a_round_with_every_rule_is_pinned():
    evaluation_round, applications, labels, names = round_with_every_rule()
    staff = UserFactory(is_staff=True)
    before = set(Assignment.objects.values_list("pk", flat=True))

    with translation.override("ko"):  # the events' reason is written in the staff's language
        result = services.auto_assign(evaluation_round, per_application=3, actor=staff)

    assert pairs(result.created, labels, names) == [
        ("a0", "r0"), ("a0", "r1"), ("a0", "r2"),
        ("a1", "r4"), ("a1", "r5"), ("a1", "r1"),
        ("a2", "r0"), ("a2", "r3"), ("a2", "r2"),
        ("a3", "r4"), ("a3", "r5"), ("a3", "r0"),
        ("a4", "r1"), ("a4", "r2"),
        ("a5", "r3"), ("a5", "r4"),
        ("a8", "r5"), ("a8", "r0"), ("a8", "r1"),
        ("a9", "r2"), ("a9", "r3"), ("a9", "r4"),
    ]
    assert result.short == {}
    stored = Assignment.objects.exclude(pk__in=before).order_by("pk")
    assert [a.pk for a in result.created] == [a.pk for a in stored]
    assert pairs(stored, labels, names) == pairs(result.created, labels, names)
    assert set(stored.values_list("conflict", "assigned_by_id", "released_at")) == {
        (ConflictStatus.PENDING, staff.pk, None)}
    events = ReviewEvent.objects.filter(assignment__in=stored).order_by("assignment_id")
    assert [(e.assignment_id, e.action, e.actor_id, e.reason) for e in events] == [
        (a.pk, ReviewAction.ASSIGNED, staff.pk, "자동 배정") for a in stored]
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert [statuses[a.pk] for a in applications] == [
        ApplicationStatus.UNDER_REVIEW] * 6 + [ApplicationStatus.ELIGIBLE,
                                               ApplicationStatus.SUBMITTED] + [
        ApplicationStatus.UNDER_REVIEW] * 2
    moved = StateChange.objects.order_by("application_id").values_list(
        "application_id", "from_status", "to_status", "actor_id")
    assert list(moved) == [
        (applications[index].pk, ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW,
         staff.pk) for index in (0, 1, 2, 3, 5, 8, 9)]


def test_auto_assign_raising_n_on_the_pinned_round_adds_the_pinned_reviewers():
    evaluation_round, _applications, labels, names = round_with_every_rule()
    staff = UserFactory(is_staff=True)
    services.auto_assign(evaluation_round, per_application=3, actor=staff)

    result = services.auto_assign(evaluation_round, per_application=5, actor=staff)

    assert pairs(result.created, labels, names) == [
        ("a0", "r5"), ("a0", "r3"),
        ("a1", "r2"), ("a1", "r3"),
        ("a2", "r4"), ("a2", "r5"),
        ("a3", "r1"), ("a3", "r3"),
        ("a4", "r0"), ("a4", "r5"),
        ("a5", "r0"), ("a5", "r1"),
        ("a8", "r2"), ("a8", "r4"),
        ("a9", "r0"), ("a9", "r1"),
    ]
    assert result.short == {}
    load = Counter(Assignment.objects.counting().filter(round=evaluation_round)
                   .values_list("reviewer_id", flat=True))
    assert sorted((labels[r], n) for r, n in load.items()) == [
        ("r0", 7), ("r1", 7), ("r2", 6), ("r3", 7), ("r4", 6), ("r5", 6), ("rx", 1)]


def test_auto_assign_short_of_reviewers_is_pinned():
    evaluation_round, _applications, labels, names = round_with_every_rule()
    staff = UserFactory(is_staff=True)

    result = services.auto_assign(evaluation_round, per_application=6, actor=staff)

    # Six active reviewers: a1, a2 and a3 have one whose organisation conflicts, a4 one who
    # declared a conflict, so they are one short; a5 has rx and r5 released, five candidates.
    assert {names[pk]: missing for pk, missing in result.short.items()} == {
        "a1": 1, "a2": 1, "a3": 1, "a4": 1}
    assert pairs(result.created, labels, names) == [
        ("a0", "r0"), ("a0", "r1"), ("a0", "r2"), ("a0", "r4"), ("a0", "r5"), ("a0", "r3"),
        ("a1", "r1"), ("a1", "r2"), ("a1", "r4"), ("a1", "r5"), ("a1", "r3"),
        ("a2", "r0"), ("a2", "r2"), ("a2", "r4"), ("a2", "r5"), ("a2", "r3"),
        ("a3", "r0"), ("a3", "r1"), ("a3", "r4"), ("a3", "r5"), ("a3", "r3"),
        ("a4", "r0"), ("a4", "r1"), ("a4", "r2"), ("a4", "r5"),
        ("a5", "r0"), ("a5", "r1"), ("a5", "r2"), ("a5", "r4"), ("a5", "r3"),
        ("a8", "r0"), ("a8", "r1"), ("a8", "r2"), ("a8", "r4"), ("a8", "r5"), ("a8", "r3"),
        ("a9", "r0"), ("a9", "r1"), ("a9", "r2"), ("a9", "r4"), ("a9", "r5"), ("a9", "r3"),
    ]


# --- balancing.Committee against the choice it replaced ---------------------------------------

def reference(pool, load, present, applications):
    """Automatic assignment's loop as it was before ``balancing.Committee``: the committee
    sorted by load then id for each application, ``coreview.pick`` among the candidates."""
    groups = coreview.groups_of((a, r) for a, reviewers in present.items() for r in reviewers)
    chosen_all = []
    for application, needed, excluded in applications:
        candidates = sorted((r for r in pool if r not in excluded), key=lambda r: (load[r], r))
        chosen = coreview.pick(candidates, load, needed, groups, present.get(application, []))
        for reviewer in chosen:
            load[reviewer] += 1
        groups.join([*present.get(application, []), *chosen])
        chosen_all.append(chosen)
    return chosen_all, load


def committee_choice(pool, load, present, applications):
    groups = coreview.groups_of((a, r) for a, reviewers in present.items() for r in reviewers)
    members = balancing.Committee(pool, load, groups)
    chosen_all = [members.choose(needed, excluded, present.get(application, []))
                  for application, needed, excluded in applications]
    return chosen_all, load


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_committee_chooses_exactly_what_sorting_and_pick_chose(data):
    pool = data.draw(st.lists(st.integers(1, 60), unique=True, max_size=12), label="pool")
    everyone = sorted({*pool, 61, 62})  # 61 and 62: reviewers off the committee
    load = Counter(data.draw(st.dictionaries(st.sampled_from(everyone), st.integers(0, 4)),
                             label="load"))
    count = data.draw(st.integers(1, 25), label="applications")
    present = data.draw(st.dictionaries(
        st.integers(0, count - 1), st.lists(st.sampled_from(everyone), unique=True,
                                            max_size=3)), label="present")
    applications = [(a, data.draw(st.integers(1, 5)),
                     data.draw(st.frozensets(st.sampled_from(everyone), max_size=4)))
                    for a in range(count)]

    expected = reference(pool, Counter(load), present, applications)

    assert committee_choice(pool, Counter(load), present, applications) == expected


def test_committee_once_connected_takes_the_least_loaded_in_order():
    groups = coreview.groups_of([(1, 10), (1, 11), (1, 12)])
    members = balancing.Committee([12, 10, 11], Counter({10: 2, 11: 1}), groups)

    assert members.connected is True
    assert members.choose(2, excluded={12}) == [11, 10]
    assert members.order == [12, 11, 10]
    assert members.load == Counter({10: 3, 11: 2, 12: 0})
    assert members.choose(5) == [12, 11, 10]


def test_committee_prefers_a_group_the_application_does_not_reach_until_connected():
    groups = coreview.groups_of([(1, 1), (1, 2)], [3, 4, 5])
    members = balancing.Committee([1, 2, 3, 4, 5], Counter(), groups)

    # 1 and 2 review together: an application that has 1 gets 3 and 4, not 2.
    assert (members.connected, members.choose(2, present=[1])) == (False, [3, 4])
    # Of 1, 2 and 5 (unloaded), 1 first, then 5: 2 is in the group 1 reaches.
    assert (members.connected, members.choose(2)) == (False, [1, 5])
    assert (members.connected, members.order) == (True, [2, 1, 3, 4, 5])
    assert members.choose(1, excluded={2}) == [1]
