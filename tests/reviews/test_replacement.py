"""Issue 11 item 9: a declared conflict leaves the reviewer's queue at once, and the staff's
replacement list offers only eligible reviewers, saying why the others are missing."""

import pytest

from reviews.enums import ConflictStatus
from reviews.models import Assignment
from tests.factories.portal import UserFactory
from tests.factories.reviews import AssignmentFactory, ReviewerProfileFactory
from tests.reviews.helpers import client_for

pytestmark = pytest.mark.django_db


def reviewer(name, **kwargs):
    return ReviewerProfileFactory(user=UserFactory(full_name=name), **kwargs)


def test_a_declared_conflict_leaves_the_queue_at_once(all_roles, scenario):
    evaluation_round, _application, assignment = scenario
    other = AssignmentFactory(round=evaluation_round,
                              reviewer=all_roles["reviewer"].reviewer_profile,
                              conflict=ConflictStatus.PENDING)
    client = client_for(all_roles["reviewer"])

    declared = client.post(f"/reviews/{other.pk}/conflict/",
                           {"answer": "declared", "reason": "대표가 친척입니다"}, follow=True)

    assert [a.pk for a in declared.context["assignments"]] == [assignment.pk]
    assert Assignment.objects.get(pk=other.pk).released_at is None  # staff still to release
    assert client.get(f"/reviews/{other.pk}/").status_code == 404


@pytest.fixture
def crowd(scenario):
    """Around the scenario's assignment: one reviewer free, one already assigned, one who
    declared a conflict, one whose organisation is the company, one inactive."""
    evaluation_round, application, assignment = scenario
    free = reviewer("가나다 평가위원")
    busy = reviewer("라마바 평가위원")
    AssignmentFactory(round=evaluation_round, application=application, reviewer=busy)
    conflicted = reviewer("사아자 평가위원")
    AssignmentFactory(round=evaluation_round, application=application, reviewer=conflicted,
                      conflict=ConflictStatus.DECLARED, conflict_reason="친척")
    same_company = reviewer(
        "차카타 평가위원",
        organisation_registration_number=application.company.registration_number)
    reviewer("파하 평가위원", active=False)
    return {"free": free, "busy": busy, "conflicted": conflicted,
            "same_company": same_company}


def test_the_replacement_list_offers_only_eligible_reviewers(all_roles, scenario, crowd,
                                                            english):
    _round, _application, assignment = scenario

    response = client_for(all_roles["staff"]).get(
        f"/manage/reviews/assignments/{assignment.pk}/replace/")

    offered = list(response.context["form"].fields["reviewer"].queryset)
    assert crowd["free"] in offered
    assert not {assignment.reviewer, crowd["busy"], crowd["conflicted"],
                crowd["same_company"]} & set(offered)
    assert [(entry.reviewer, entry.reason) for entry in response.context["left_out"]] == [
        (assignment.reviewer, "the reviewer being replaced"),
        (crowd["busy"], "already reviews this application"),
        (crowd["conflicted"], "declared a conflict of interest on this application"),
        (crowd["same_company"], "their organisation is the company or its supplier"),
    ]
    assert "4 reviewers are not offered" in response.content.decode()


def test_choosing_a_left_out_reviewer_is_refused_and_keeps_the_reason(all_roles, scenario,
                                                                      crowd, english):
    _round, _application, assignment = scenario

    response = client_for(all_roles["staff"]).post(
        f"/manage/reviews/assignments/{assignment.pk}/replace/",
        {"reviewer": crowd["same_company"].pk, "reason": "일정 불가"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reviewer": ["Choose a reviewer from the list."]}
    assert response.context["form"]["reason"].value() == "일정 불가"
    assert Assignment.objects.get(pk=assignment.pk).released_at is None


@pytest.mark.parametrize("others", [1, 4])
def test_the_replacement_page_query_count_is_constant(all_roles, scenario, others,
                                                     django_assert_num_queries):
    evaluation_round, application, assignment = scenario
    for _ in range(others):
        AssignmentFactory(round=evaluation_round, application=application,
                          reviewer=reviewer("평가위원"))
    client = client_for(all_roles["staff"])
    client.get("/")  # the session and user are loaded once, outside the count

    with django_assert_num_queries(8):
        client.get(f"/manage/reviews/assignments/{assignment.pk}/replace/")
