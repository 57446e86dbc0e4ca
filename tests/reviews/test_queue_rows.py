"""The rows of a reviewer's queue (``review_queue_rows``): the markup of each state, a
cluster's name, the action each state offers, and no assignment."""

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from reviews import selectors
from reviews.enums import ConflictStatus
from tests.factories.reviews import AssignmentFactory
from tests.reviews.helpers import demo_round

pytestmark = pytest.mark.django_db


def render(assignments):
    return Template("{% load review_queue %}{% review_queue_rows assignments %}").render(
        Context({"assignments": assignments}))


def row(assignment, badge, state, label, scored, action):
    application = assignment.application
    return (f'<tr data-assignment="{assignment.pk}"><td>{application.receipt_number}</td>'
            f'<td>{application.company.name}</td>'
            f'<td>{assignment.round.call.title_en} · Document review</td>'
            f'<td>{application.track.name_en or application.track.name}</td>'
            f'<td><span class="badge {badge}" data-state="{state}">{label}</span></td>'
            f'<td>{scored}</td><td class="text-end">{action}</td></tr>')


def test_each_state_has_its_badge_and_action(all_roles):
    evaluation_round = demo_round()
    profile = all_roles["reviewer"].reviewer_profile
    checking = AssignmentFactory(round=evaluation_round, reviewer=profile,
                                 conflict=ConflictStatus.PENDING)
    scoring = AssignmentFactory(round=evaluation_round, reviewer=profile)
    done = AssignmentFactory(round=evaluation_round, reviewer=profile,
                             submitted_at=timezone.now())
    queue = {a.pk: a for a in selectors.reviewer_queue(all_roles["reviewer"])}
    assert set(queue) == {checking.pk, scoring.pk, done.pk}
    with translation.override("en"):
        html = render([queue[checking.pk], queue[scoring.pk], queue[done.pk]])
        assert html == (
            row(queue[checking.pk], "text-bg-warning", "conflict_check", "Conflict check", 0,
                f'<a class="btn btn-sm btn-primary" href="/reviews/{checking.pk}/conflict/">'
                'Check conflict of interest</a>')
            + row(queue[scoring.pk], "text-bg-info", "in_progress", "In progress", 0,
                  f'<a class="btn btn-sm btn-primary" href="/reviews/{scoring.pk}/">Score</a>')
            + row(queue[done.pk], "text-bg-success", "submitted", "Submitted", 0,
                  f'<a class="btn btn-sm btn-outline-secondary" href="/reviews/{done.pk}/">'
                  'View</a>'))


def test_an_empty_queue_says_so():
    with translation.override("ko"):
        assert render([]) == ('<tr><td colspan="7" class="text-muted">'
                              '아직 배정된 신청 건이 없습니다.</td></tr>')
