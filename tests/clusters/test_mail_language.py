"""Cluster emails reach each member's people in their own language (the one they last used on
the portal), the acting person's when they have none yet."""

import pytest
from django.core import mail
from django.utils import translation

from clusters import submission
from tests.factories.clusters import demo_cluster_track, lead_user, make_cluster, member_user

pytestmark = pytest.mark.django_db


def test_submission_email_is_in_each_recipients_language(demo,
                                                         django_capture_on_commit_callbacks):
    demo_cluster_track()
    cluster = make_cluster(5)
    members = list(cluster.members.order_by("pk"))
    english = member_user(members[1])
    english.language = "en"
    english.save(update_fields=["language"])
    korean = member_user(members[2])
    korean.language = "ko"
    korean.save(update_fields=["language"])

    with translation.override("ko"), django_capture_on_commit_callbacks(execute=True):
        submission.submit_cluster(cluster, user=lead_user(cluster))

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    name = cluster.name
    assert subjects[english.email] == (
        f"[Smart factory cluster] “{name}” was submitted (2025-CL-0001)")
    assert subjects[korean.email] == (
        f"[스마트공장 클러스터] “{name}” 제출 완료(접수번호 2025-CL-0001)")
    # No language recorded yet: the acting person's (Korean here).
    assert subjects[lead_user(cluster).email] == subjects[korean.email]
    assert len(mail.outbox) == 5
