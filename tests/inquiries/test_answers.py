"""Answering: the asker's email through the outbox, FAQs under the announcement, the inbox."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from inquiries import services
from inquiries.enums import QuestionAction, QuestionStatus
from inquiries.models import Question
from inquiries.selectors import inbox
from inquiries.workdays import overdue_before, working_days_between
from outbox.models import Message
from tests.factories.inquiries import QuestionFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_answer_emails_the_asker_once_through_the_outbox(
        role_users, gb_announcement, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://portal.test"
    asker = role_users["company"]
    question = QuestionFactory(announcement=gb_announcement, asker=asker, is_public=False,
                               title="자부담 비율")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(role_users["operator_gb"]).post(
            f"/questions/{question.pk}/answer/", {"answer": "현금 **50%** 이상입니다."})
    assert (response.status_code, response["Location"]) == (302, f"/questions/{question.pk}/")
    question.refresh_from_db()
    assert (question.status, question.answer, question.answered_by) == (
        QuestionStatus.ANSWERED, "현금 **50%** 이상입니다.", role_users["operator_gb"])
    (email,) = mail.outbox
    assert (email.to, email.subject) == ([asker.email],
                                         "“자부담 비율” 문의에 답변이 등록되었습니다")
    assert "현금 **50%** 이상입니다." in email.body
    assert f"https://portal.test/questions/{question.pk}/" in email.body
    assert Message.objects.get(key=f"question-{question.pk}-answered").status == "done"
    assert list(question.changes.values_list("action", flat=True)) == [QuestionAction.ANSWERED]


def test_answer_to_an_answered_question_is_refused_and_sends_nothing(role_users,
                                                                     gb_announcement):
    question = QuestionFactory(announcement=gb_announcement)
    services.answer(question, role_users["staff"], text="첫 답변")
    with pytest.raises(ValidationError):
        services.answer(question, role_users["staff"], text="두 번째 답변")
    question.refresh_from_db()
    assert (question.answer, Message.objects.filter(key__startswith="question-").count()) == (
        "첫 답변", 1)


def test_answer_with_script_is_shown_sanitised(role_users, gb_announcement):
    question = QuestionFactory(announcement=gb_announcement, is_public=True)
    services.answer(question, role_users["staff"],
                    text='<script>x()</script>[a](javascript:y()) <b onclick="z()">굵게</b>')
    html = Client().get(f"/questions/{question.pk}/").content.decode()
    shown = html.split('id="answer-body">')[1].split("</div>")[0]
    assert ("<script" in shown, "javascript:" in shown, "onclick" in shown) == (
        False, False, False)


def test_faq_is_shown_under_the_announcement_and_a_private_one_cannot_be(
        role_users, gb_announcement):
    public = QuestionFactory(announcement=gb_announcement, is_public=True, title="공개 문의")
    private = QuestionFactory(announcement=gb_announcement, is_public=False, title="비공개")
    for question in (public, private):
        services.answer(question, role_users["operator_gb"], text="답변 내용")
    client = signed_in(role_users["operator_gb"])
    assert client.post(f"/questions/{public.pk}/faq/", {"faq": "on"}).status_code == 302
    assert client.post(f"/questions/{private.pk}/faq/", {"faq": "on"}).status_code == 302
    assert list(Question.objects.filter(is_faq=True).values_list("title", flat=True)) == [
        "공개 문의"]
    section = Client().get(f"/announcements/{gb_announcement.pk}/questions/",
                           headers={"HX-Request": "true"})
    assert section.context["questions"].faqs == [public]
    assert "FAQ · 공개 문의" in section.content.decode()
    assert "비공개" not in section.content.decode()


def test_announcement_section_shows_the_users_own_private_questions(role_users,
                                                                    gb_announcement):
    user = role_users["company"]
    mine = QuestionFactory(announcement=gb_announcement, asker=user,
                           company=user.membership.company, is_public=False)
    QuestionFactory(announcement=gb_announcement, is_public=False)  # someone else's
    section = signed_in(user).get(f"/announcements/{gb_announcement.pk}/questions/")
    assert section.context["questions"].own == [mine]


@pytest.mark.parametrize("count", [1, 4])
def test_announcement_section_queries_constant(role_users, gb_announcement,
                                               django_assert_num_queries, count):
    user = role_users["company"]
    for _ in range(count):
        question = QuestionFactory(announcement=gb_announcement, asker=user,
                                   company=user.membership.company)
        services.answer(question, role_users["staff"], text="답")
        services.set_faq(question, role_users["staff"], faq=True)
    client = signed_in(user)
    # session, user, announcement, membership, public questions, own questions
    with django_assert_num_queries(6):
        response = client.get(f"/announcements/{gb_announcement.pk}/questions/",
                              headers={"HX-Request": "true"})
    assert len(response.context["questions"].faqs) == count


def test_inbox_shows_the_region_only_with_overdue_questions_first(
        role_users, gb_announcement, jn_announcement):
    # Friday 2025-06-13: three working days before it is Tuesday 06-10.
    now = datetime(2025, 6, 13, 10, tzinfo=SEOUL)
    old = QuestionFactory(announcement=gb_announcement, title="오래된 문의")
    recent = QuestionFactory(announcement=gb_announcement, title="새 문의")
    done = QuestionFactory(announcement=gb_announcement, title="답변한 문의")
    QuestionFactory(announcement=jn_announcement, title="전남 문의")
    Question.objects.filter(pk=old.pk).update(created_at=datetime(2025, 6, 9, 18, tzinfo=SEOUL))
    Question.objects.filter(pk=recent.pk).update(
        created_at=datetime(2025, 6, 10, 9, tzinfo=SEOUL))
    Question.objects.filter(pk=done.pk).update(created_at=datetime(2025, 6, 1, tzinfo=SEOUL))
    services.answer(done, role_users["operator_gb"], text="답")
    rows = list(inbox(role_users["operator_gb"], now=now))
    assert [(q.title, q.overdue) for q in rows] == [
        ("오래된 문의", True), ("새 문의", False), ("답변한 문의", False)]
    assert [q.title for q in inbox(role_users["operator_jn"], now=now)] == ["전남 문의"]


def test_working_days_skip_weekends_and_holidays(settings):
    settings.PUBLIC_HOLIDAYS = ["2025-06-06"]
    friday = datetime(2025, 6, 13, 10, tzinfo=SEOUL)
    assert overdue_before(friday, 3) == datetime(2025, 6, 10, tzinfo=SEOUL)
    monday = datetime(2025, 6, 9, 10, tzinfo=SEOUL)
    # Friday 06-06 is a holiday: Thursday 06-05, Wednesday 06-04, Tuesday 06-03
    assert overdue_before(monday, 3) == datetime(2025, 6, 3, tzinfo=SEOUL)
    assert working_days_between(datetime(2025, 6, 5, 9, tzinfo=SEOUL), monday) == 1


@pytest.mark.parametrize("count", [1, 5])
def test_inbox_queries_constant(role_users, gb_announcement, django_assert_num_queries,
                                count):
    for _ in range(count):
        QuestionFactory(announcement=gb_announcement)
    client = signed_in(role_users["operator_gb"])
    # session, user, count, page of questions (with call, region, asker and company)
    with django_assert_num_queries(4):
        response = client.get("/manage/questions/")
    assert len(response.context["questions"]) == count


def test_inbox_filtered_by_an_unknown_status_shows_every_question(role_users,
                                                                   gb_announcement):
    QuestionFactory(announcement=gb_announcement)
    response = signed_in(role_users["operator_gb"]).get("/manage/questions/?status=<x>")
    assert (response.status_code, len(response.context["questions"])) == (200, 1)


def test_dashboard_tells_the_operator_what_waits(role_users, gb_announcement):
    QuestionFactory(announcement=gb_announcement)
    old = QuestionFactory(announcement=gb_announcement)
    Question.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(days=30))
    section = signed_in(role_users["operator_gb"]).get("/dashboard/").content.decode()
    text = " ".join(section.split('id="dashboard-inquiries">')[1].split("</section>")[0].split())
    assert "답변을 기다리는 문의 2건 · <span class=\"text-danger\">기한 초과 1건</span>" in text
    other = signed_in(role_users["operator_jn"]).get("/dashboard/").content.decode()
    assert "답변을 기다리는 문의 0건" in other


@pytest.mark.parametrize("count", [1, 4])
def test_question_page_queries_constant(role_users, gb_announcement, django_assert_num_queries,
                                        count):
    questions = [QuestionFactory(announcement=gb_announcement) for _ in range(count)]
    client = signed_in(role_users["operator_gb"])
    # session, user, the user's company (none), the question with its announcement, call,
    # region, asker and answerer
    with django_assert_num_queries(4):
        response = client.get(f"/questions/{questions[-1].pk}/")
    assert response.context["can_answer"] is True
