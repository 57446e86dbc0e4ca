"""Who reads and who answers a question: every role, every page (404 for anyone else)."""

import pytest
from django.test import Client

from inquiries import services
from inquiries.enums import QuestionStatus
from inquiries.models import Question
from tests.factories.applications import MembershipFactory
from tests.factories.inquiries import QuestionFactory
from tests.factories.portal import UserFactory
from tests.permissions import expect_matrix

pytestmark = pytest.mark.django_db

PRIVATE = {"anonymous": 302, "company": 200, "other_company": 404, "operator_gb": 200,
           "operator_jn": 404, "reviewer": 404, "staff": 200}
EVERYONE = dict.fromkeys(PRIVATE, 200)
ANSWERERS = {"anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 302,
             "operator_jn": 404, "reviewer": 404, "staff": 302}


def question_of(role_users, announcement, **fields):
    user = role_users["company"]
    return QuestionFactory(announcement=announcement, asker=user,
                           company=user.membership.company, **fields)


def answered(question, by):
    return services.answer(question, by, text="**답변**입니다.")


def test_private_question_is_read_by_its_company_the_region_operator_and_staff(
        role_users, gb_announcement):
    question = question_of(role_users, gb_announcement, is_public=False)
    answered(question, role_users["operator_gb"])
    for url in (f"/questions/{question.pk}/", f"/questions/{question.pk}/attachment/"):
        expected = PRIVATE if url.endswith("/") and "attachment" not in url else {
            **PRIVATE, "anonymous": 404, "company": 404, "operator_gb": 404, "staff": 404}
        expect_matrix(role_users, url, expected)


def test_private_question_is_read_by_a_colleague_of_the_asker(role_users, gb_announcement):
    question = question_of(role_users, gb_announcement, is_public=False)
    colleague = MembershipFactory(company=question.company,
                                  user=UserFactory(email="colleague@company.test")).user
    client = Client()
    client.force_login(colleague)
    assert client.get(f"/questions/{question.pk}/").status_code == 200


def test_public_question_is_read_by_everyone_once_answered(role_users, gb_announcement):
    question = question_of(role_users, gb_announcement, is_public=True)
    expect_matrix(role_users, f"/questions/{question.pk}/", PRIVATE)
    answered(question, role_users["staff"])
    expect_matrix(role_users, f"/questions/{question.pk}/", EVERYONE)


def test_nationwide_question_is_answered_by_staff_only(role_users, demo):
    from programs.models import Announcement

    cluster = Announcement.objects.get(call__code="2025-CL")
    question = question_of(role_users, cluster, is_public=False)
    expect_matrix(role_users, f"/questions/{question.pk}/",
                  {**PRIVATE, "operator_gb": 404})
    expect_matrix(role_users, f"/questions/{question.pk}/close/",
                  {**ANSWERERS, "operator_gb": 404}, method="post",
                  setup=lambda: Question.objects.filter(pk=question.pk).update(
                      status=QuestionStatus.NEW, closed_at=None))


def test_answer_close_and_faq_are_for_the_region_operator_and_staff(role_users,
                                                                    gb_announcement):
    question = question_of(role_users, gb_announcement, is_public=True)

    def reset():
        Question.objects.filter(pk=question.pk).update(
            status=QuestionStatus.NEW, answer="", answered_at=None, answered_by=None,
            is_faq=False, closed_at=None)

    expect_matrix(role_users, f"/questions/{question.pk}/answer/", ANSWERERS, method="post",
                  data={"answer": "답변"}, setup=reset)
    expect_matrix(role_users, f"/questions/{question.pk}/close/", ANSWERERS, method="post",
                  setup=reset)

    def reset_answered():
        reset()
        Question.objects.filter(pk=question.pk).update(
            status=QuestionStatus.ANSWERED, answer="답변", answered_at=question.created_at)

    expect_matrix(role_users, f"/questions/{question.pk}/faq/", ANSWERERS, method="post",
                  data={"faq": "on"}, setup=reset_answered)


def test_inbox_is_for_operators_and_staff(role_users):
    expect_matrix(role_users, "/manage/questions/", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 200,
        "operator_jn": 200, "reviewer": 404, "staff": 200})


def test_ask_page_is_for_signed_in_users(role_users, gb_announcement):
    expect_matrix(role_users, f"/announcements/{gb_announcement.pk}/questions/new/", {
        **EVERYONE, "anonymous": 302})
    expect_matrix(role_users, f"/announcements/{gb_announcement.pk}/questions/", EVERYONE)
