"""Korean particles in what the portal sends (issue 11, point 7): every email written to the
outbox has its neutral markers (이(가), 은(는)…) resolved after the values put in
(portal.korean); the notices' are in tests/awards/test_notice_particles.py."""

from outbox import services as outbox
from outbox.models import Message


def test_an_email_is_written_with_the_particles_its_values_take(db):
    message = outbox.enqueue_email(
        to=["ceo@food.test"], subject="새봄회사이(가) 클러스터에서 탈퇴했습니다",
        body="데모식품이(가) 선정되었습니다. 문의는 경북테크노파크(으)로 하십시오.",
        html="<p><strong>새봄회사</strong>은(는) 예비 선정 1순위입니다.</p>")
    payload = Message.objects.get(pk=message.pk).payload
    assert (payload["subject"], payload["body"], payload["html"]) == (
        "새봄회사가 클러스터에서 탈퇴했습니다",
        "데모식품이 선정되었습니다. 문의는 경북테크노파크로 하십시오.",
        "<p><strong>새봄회사</strong>는 예비 선정 1순위입니다.</p>")


def test_an_english_email_is_left_as_it_is(db):
    message = outbox.enqueue_email(to=["ceo@food.test"], subject="Selected (as planned)",
                                   body="Demo Foods was selected (track: basic).")
    payload = Message.objects.get(pk=message.pk).payload
    assert (payload["subject"], payload["body"]) == (
        "Selected (as planned)", "Demo Foods was selected (track: basic).")
