"""Issue 14 item 6: automatic assignment keeps the loads balanced and conflict-free and, where
the committee allows it, makes the co-review graph connected (every pair of reviewers linked
through a chain of shared applications); the assignments page says whether it is."""

import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews import coreview
from reviews.models import Assignment
from reviews.round_scores import co_review
from tests.factories.reviews import EvaluationRoundFactory, ReviewerProfileFactory
from tests.reviews.helpers import client_for
from tests.reviews.test_services import committee, eligible


def simulate(applications: int, reviewers: int, per_application: int, conflicts=frozenset()):
    """Automatic assignment's loop on plain values (as ``services.auto_assign`` runs it)."""
    load = Counter()
    groups = coreview.groups_of([], range(reviewers))
    pairs = []
    for application in range(applications):
        candidates = sorted((r for r in range(reviewers) if (application, r) not in conflicts),
                            key=lambda r: (load[r], r))
        chosen = coreview.pick(candidates, load, per_application, groups)
        for reviewer in chosen:
            load[reviewer] += 1
            pairs.append((application, reviewer))
        groups.join(chosen)
    return load, pairs


def least_loaded_first(applications, reviewers, per_application):
    load = Counter()
    for _application in range(applications):
        for reviewer in sorted(range(reviewers), key=lambda r: (load[r], r))[:per_application]:
            load[reviewer] += 1
    return load


@given(st.integers(1, 60), st.integers(2, 25), st.integers(2, 6))
def test_loads_are_as_balanced_as_least_loaded_first_and_the_graph_connects(
        applications, reviewers, per_application):
    per_application = min(per_application, reviewers)
    load, pairs = simulate(applications, reviewers, per_application)
    plain = least_loaded_first(applications, reviewers, per_application)
    assert sorted(load.values()) == sorted(plain.values())
    assert max(load.values()) - min(load[r] for r in range(reviewers)) <= 1
    # Connected as soon as it can be: one application joins at most per_application - 1
    # groups, so reviewers - 1 joins need ceil((reviewers - 1) / (per_application - 1)).
    groups = coreview.groups_of(pairs, range(reviewers))
    needed = math.ceil((reviewers - 1) / (per_application - 1))
    assert (groups.count() == 1) == (applications >= needed)

def test_least_loaded_first_alone_leaves_groups_apart_that_the_preference_joins():
    # 4 reviewers, 2 per application, 3 applications: least-loaded-first gives {0, 1}, {2, 3}
    # and {0, 1} again (two groups); the preference links the two pairs on the third.
    _load, pairs = simulate(3, 4, 2)
    assert pairs == [(0, 0), (0, 1), (1, 2), (1, 3), (2, 0), (2, 2)]
    assert coreview.groups_of(pairs).count() == 1


def test_one_reviewer_per_application_cannot_connect():
    _load, pairs = simulate(6, 3, 1)
    assert coreview.groups_of(pairs).count() == 3


@pytest.mark.django_db
def test_auto_assign_connects_the_committee_and_the_page_says_so(all_roles):
    from reviews import services

    evaluation_round = EvaluationRoundFactory()
    for _ in range(3):
        eligible(evaluation_round)
    pool = committee(evaluation_round, 4)
    services.auto_assign(evaluation_round, per_application=2, actor=all_roles["staff"])
    load = Counter(Assignment.objects.values_list("reviewer_id", flat=True))
    assert sorted(load[r.pk] for r in pool) == [1, 1, 2, 2]
    graph = co_review(evaluation_round)
    assert (graph.reviewers, graph.groups, graph.connected) == (4, 1, True)
    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/co-review/")
    body = response.content.decode()
    assert 'data-connected="yes"' in body
    assert "All 4 reviewers are linked through chains of shared applications" in body


@pytest.mark.django_db
def test_the_page_says_when_the_graph_is_not_connected(all_roles):
    from reviews import services

    evaluation_round = EvaluationRoundFactory()
    for _ in range(2):
        eligible(evaluation_round)
    committee(evaluation_round, 2)
    services.auto_assign(evaluation_round, per_application=1, actor=all_roles["staff"])
    body = client_for(all_roles["staff"]).get(
        f"/manage/reviews/rounds/{evaluation_round.pk}/co-review/").content.decode()
    assert 'data-connected="no" data-groups="2"' in body
    assert "The 2 reviewers fall into 2 groups that share no application" in body


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_co_review_fragment_query_count_is_constant(all_roles, count,
                                                    django_assert_num_queries):
    from tests.factories.reviews import AssignmentFactory

    evaluation_round = EvaluationRoundFactory()
    reviewers = [ReviewerProfileFactory() for _ in range(count + 1)]
    for index in range(count):
        application = eligible(evaluation_round)
        for reviewer in reviewers[index:index + 2]:
            AssignmentFactory(round=evaluation_round, application=application,
                              reviewer=reviewer)
    client = client_for(all_roles["staff"])
    client.get("/")
    with django_assert_num_queries(4):  # session, user, round, the round's assignments
        response = client.get(f"/manage/reviews/rounds/{evaluation_round.pk}/co-review/")
    assert response.context["graph"].groups == 1


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 12), st.integers(2, 4), st.data())
def test_conflicts_never_get_assigned_and_loads_stay_within_one(reviewers, per_application,
                                                                 data):
    per_application = min(per_application, reviewers - 1)
    applications = data.draw(st.integers(1, 20))
    conflicts = frozenset(data.draw(st.sets(st.tuples(st.integers(0, applications - 1),
                                                      st.integers(0, reviewers - 1)),
                                            max_size=applications)))
    _load, pairs = simulate(applications, reviewers, per_application, conflicts)
    assert not set(pairs) & conflicts
    per = Counter(application for application, _reviewer in pairs)
    assert all(per[a] == per_application for a in range(applications)
               if sum((a, r) in conflicts for r in range(reviewers))
               <= reviewers - per_application)
