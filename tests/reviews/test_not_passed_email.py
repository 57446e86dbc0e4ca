"""A company whose application does not pass a round of a call evaluated in rounds hears it by
email when the next round opens (one email per application and round, in Korean, however
often the task runs); those who pass on get none."""

import pytest
from django.core import mail
from django.utils import translation

from outbox.models import Message
from reviews import notifications, round_services
from tests.factories.portal import UserFactory
from tests.reviews.test_rounds import scored, staff, two_rounds  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_opening_the_next_round_emails_the_companies_that_did_not_pass(
        demo, staff, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    _call, documents, _presentation, _panel, tracks = two_rounds()
    passing = scored(tracks[0], documents, (80, 70),
                     member=UserFactory(email="passes@company.test"))
    failing = scored(tracks[0], documents, (50, 52),
                     member=UserFactory(email="stops@company.test"))
    round_services.close_round(documents, actor=staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        round_services.open_next_round(documents, actor=staff)

    [email] = [m for m in mail.outbox if "stops@company.test" in m.to]
    assert email.to == ["stops@company.test"]
    with translation.override("ko"):
        assert email.subject == "[스마트공장 지원 포털] 서면 평가 결과 안내"
    assert failing.receipt_number in email.body
    assert "해당 평가 점수: 51.00점 (유형 내 2위)" in email.body
    assert f"신청 {failing.receipt_number}" in email.body
    assert "서면 평가를 통과하지 못하여 이 공고의 다음 평가에 오르지 않으며" in email.body
    assert f"/applications/{failing.pk}/" in email.body
    assert not [m for m in mail.outbox if "passes@company.test" in m.to]
    assert passing.pk  # passed on: no email

    # The task again (a redelivery): nothing written twice, nothing sent twice.
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.write_not_passed(documents.pk) == 1
    assert len(mail.outbox) == sent
    assert Message.objects.filter(
        key=f"{notifications.not_passed_key(documents.pk)}-{failing.pk}").count() == 1


def test_a_round_that_stops_no_one_writes_no_task(demo, staff):  # noqa: F811
    _call, documents, _presentation, _panel, tracks = two_rounds()
    scored(tracks[0], documents, (80, 70))
    round_services.close_round(documents, actor=staff)

    round_services.open_next_round(documents, actor=staff)

    assert not Message.objects.filter(key=notifications.not_passed_key(documents.pk)).exists()
