"""The applications of a round's assignments page (``round_application_rows``): each reviewer
not released with the badge of its state, a dash without any reviewer."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from reviews.enums import AssignmentState

pytestmark = pytest.mark.django_db


def assignment(name, state, released=False):
    return SimpleNamespace(reviewer=name, state=state,
                           released_at=timezone.now() if released else None)


def application(pk, assignments, receipt="GB-0007"):
    return SimpleNamespace(pk=pk, receipt_number=receipt, round_assignments=assignments,
                           company=SimpleNamespace(name="대한정밀 <주>"),
                           track=SimpleNamespace(name="스마트공장", name_en="Smart factory"),
                           get_status_display=lambda: "Under review")


def render(applications):
    with translation.override("en"):
        return Template("{% load round_rows %}{% round_application_rows applications r %}"
                        ).render(Context({"applications": applications,
                                          "r": SimpleNamespace(pk=3)}))


def row(pk, receipt, reviewers):
    return (f'<tr data-application="{pk}"><td>{receipt}</td><td>대한정밀 &lt;주&gt;</td>'
            f"<td>Smart factory</td><td>Under review</td><td>{reviewers}</td>"
            f'<td class="text-end"><a href="/manage/reviews/rounds/3/applications/{pk}/">'
            "Manage</a></td></tr>")


def test_each_reviewer_not_released_has_its_state_badge(monkeypatch):
    monkeypatch.setattr("reviews.templatetags.round_rows.cluster_name", lambda app: "")
    html = render([
        application(7, [assignment("Kim", AssignmentState.SUBMITTED),
                        assignment("Lee", AssignmentState.CONFLICT),
                        assignment("Park", AssignmentState.RELEASED, released=True),
                        assignment("Choi", AssignmentState.CONFLICT_CHECK),
                        assignment("Jung", AssignmentState.IN_PROGRESS)]),
        application(8, [], receipt=""),
        application(9, [assignment("Park", AssignmentState.RELEASED, released=True)]),
    ])
    badge = ('<span class="me-2 text-nowrap">{} '
             '<span class="badge {}" data-state="{}">{}</span></span>')
    assert html == (
        row(7, "GB-0007", badge.format("Kim", "text-bg-success", "submitted", "Submitted")
            + badge.format("Lee", "text-bg-danger", "conflict", "Conflict: replace")
            + badge.format("Choi", "text-bg-warning", "conflict_check", "Conflict check")
            + badge.format("Jung", "text-bg-info", "in_progress", "In progress"))
        + row(8, "—", '<span class="text-muted">—</span>')
        + row(9, "GB-0007", ""))
