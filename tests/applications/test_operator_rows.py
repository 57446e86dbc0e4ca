"""The rows of the staff and operator application list (``operator_application_rows``) and
the status badge it shares with ``applications/_status_badge.html``."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from applications.enums import ApplicationStatus
from applications.templatetags.application_rows import status_badge
from tests.factories.applications import ApplicationFactory
from tests.factories.portal import UserFactory

pytestmark = pytest.mark.django_db


def render(applications, user):
    return Template("{% load application_rows %}{% operator_application_rows applications %}"
                    ).render(Context({"applications": applications, "user": user}))


@pytest.mark.parametrize(("status", "css", "label"), [
    (ApplicationStatus.DRAFT, "text-bg-secondary", "작성 중"),
    (ApplicationStatus.SUBMITTED, "text-bg-primary", "제출"),
    (ApplicationStatus.WITHDRAWN, "text-bg-dark", ApplicationStatus.WITHDRAWN.label),
    (ApplicationStatus.SELECTED, "text-bg-success", ApplicationStatus.SELECTED.label),
    (ApplicationStatus.WAITLISTED, "text-bg-info", ApplicationStatus.WAITLISTED.label)])
def test_the_badge_and_its_template(status, css, label):
    application = ApplicationFactory.build(status=status)
    with translation.override("ko"):
        expected = f'<span class="badge {css}" data-status="{status}">{label}</span>'
        assert status_badge(application) == expected
        assert render_to_string("applications/_status_badge.html",
                                {"application": application}) == expected + "\n"


def test_staff_open_screening_operators_the_detail():
    application = ApplicationFactory(
        submitted=True, receipt_number="GB-0001", track__name="일반형", track__name_en="General",
        company__name="가람식품", company__registration_number="1248100998",
        submitted_at=datetime(2025, 3, 4, 9, 30, tzinfo=ZoneInfo("Asia/Seoul")))
    cells = ('<td>가람식품 <span class="small text-muted">124-81-00998</span></td>'
             '<td>General</td><td><span class="badge text-bg-primary" data-status="submitted">'
             'Submitted</span></td><td>2025-03-04 09:30</td></tr>')
    with translation.override("en"):
        assert render([application], UserFactory(is_staff=True)) == (
            f'<tr><td><a href="/staff/applications/{application.pk}/">GB-0001</a></td>'
            + cells)
        assert render([application], UserFactory()) == (
            f'<tr><td><a href="/operator/applications/{application.pk}/">GB-0001</a></td>'
            + cells)
    with translation.override("ko"):
        assert render([], AnonymousUser()) == (
            '<tr><td colspan="5" class="text-muted">아직 신청이 없습니다.</td></tr>')
