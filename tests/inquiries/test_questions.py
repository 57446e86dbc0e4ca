"""Asking a question on an announcement: who may, what is kept, what is refused."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from inquiries.enums import QuestionAction, QuestionStatus
from inquiries.models import Question
from tests.factories.portal import UserFactory
from tests.programs.files import executable_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def ask(client, announcement, **fields):
    data = {"title": "신청 자격", "body": "식품 제조업이 아니어도 되나요?",
            "visibility": "private", **fields}
    return client.post(f"/announcements/{announcement.pk}/questions/new/", data)


def test_question_asked_is_stored_with_company_and_audit_row(gb_announcement, role_users):
    user = role_users["company"]
    response = ask(signed_in(user), gb_announcement,
                   attachment=upload("견적서.pdf", pdf_bytes()))
    question = Question.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/questions/{question.pk}/")
    assert (question.asker, question.company, question.is_public, question.status) == (
        user, user.membership.company, False, QuestionStatus.NEW)
    assert (question.attachment_name, question.attachment_type) == ("견적서.pdf",
                                                                     "application/pdf")
    assert list(question.changes.values_list("action", "actor")) == [
        (QuestionAction.ASKED, user.pk)]


def test_question_by_a_visitor_asks_to_sign_in(gb_announcement):
    response = ask(Client(), gb_announcement)
    assert (response.status_code, response["Location"].split("?")[0]) == (302,
                                                                          "/accounts/login/")
    assert Question.objects.count() == 0


def test_question_on_a_draft_announcement_is_404(gb_announcement, role_users):
    gb_announcement.status, gb_announcement.published_at = "draft", None
    gb_announcement.save()
    assert ask(signed_in(role_users["company"]), gb_announcement).status_code == 404


def test_question_with_script_and_javascript_links_is_shown_sanitised(gb_announcement,
                                                                      role_users):
    user = role_users["company"]
    body = ('<script>alert(1)</script><img src=x onerror="alert(2)">'
            '[click](javascript:alert(3)) <a href="#" onclick="alert(4)">a</a> **bold**')
    ask(signed_in(user), gb_announcement, title="<b onmouseover=alert(5)>t</b>", body=body)
    question = Question.objects.get()
    assert question.body == body  # kept as typed, sanitised when shown
    html = signed_in(user).get(f"/questions/{question.pk}/").content.decode()
    shown = html.split('id="question-body">')[1].split("</div>")[0]
    assert re.findall(r"<script|onerror|onclick|onmouseover|javascript:", shown) == []
    assert "<strong>bold</strong>" in shown
    assert "&lt;b onmouseover=alert(5)&gt;t&lt;/b&gt;" in html  # the title is text


def test_question_of_100_kb_is_refused_with_the_text_kept(gb_announcement, role_users):
    body = "가" * 100_000
    response = ask(signed_in(role_users["company"]), gb_announcement, title="긴 문의",
                   body=body)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["body"] == [
        "이 값이 최대 10000 개의 글자인지 확인하세요(입력값 100000 자)."]
    assert (form["title"].value(), form["body"].value()) == ("긴 문의", body)
    assert body in response.content.decode()
    assert Question.objects.count() == 0


def test_question_with_an_executable_renamed_pdf_is_refused_with_the_text_kept(
        gb_announcement, role_users):
    response = ask(signed_in(role_users["company"]), gb_announcement, title="첨부",
                   body="견적서를 봐 주세요", attachment=upload("견적서.pdf", executable_bytes()))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["attachment"] == [
        "파일 “견적서.pdf”은(는) 허용된 형식(DOCX, HWP, HWPX, JPEG, PDF, PNG, XLSX)이 아닙니다. "
        "파일 이름이 아니라 내용을 확인했습니다."]
    assert (form["title"].value(), form["body"].value()) == ("첨부", "견적서를 봐 주세요")
    assert Question.objects.count() == 0


def test_question_with_a_valid_file_but_a_missing_title_asks_to_choose_the_file_again(
        gb_announcement, role_users):
    response = ask(signed_in(role_users["company"]), gb_announcement, title="",
                   attachment=upload("견적서.pdf", pdf_bytes()))
    assert response.status_code == 400
    assert response.context["form"].errors["attachment"] == [
        "파일을 다시 선택해 주세요. 양식을 다시 보여 줄 때 브라우저는 선택한 파일을 "
        "기억하지 않습니다."]


def test_question_eleventh_of_the_day_is_refused_with_the_text_kept(gb_announcement):
    cache.clear()
    client = signed_in(UserFactory(email="asker@company.test"))
    statuses = [ask(client, gb_announcement, title=f"문의 {n}").status_code
                for n in range(10)]
    response = ask(client, gb_announcement, title="열한 번째", body="내일 보낼 문의")
    assert statuses == [302] * 10
    assert response.status_code == 429
    form = response.context["form"]
    assert form.non_field_errors() == [
        "오늘 이미 10건을 문의하셨습니다. 하루에 보낼 수 있는 최대 건수입니다. 문의 내용은 "
        "아래에 남아 있으니 내일 보내시거나 운영기관에 전화해 주세요."]
    assert (form["title"].value(), form["body"].value()) == ("열한 번째", "내일 보낼 문의")
    assert Question.objects.count() == 10


def test_question_limit_counts_each_user_on_its_own(gb_announcement):
    cache.clear()
    first = signed_in(UserFactory(email="first@company.test"))
    for n in range(10):
        ask(first, gb_announcement, title=f"문의 {n}")
    other = signed_in(UserFactory(email="second@company.test"))
    assert ask(other, gb_announcement).status_code == 302
