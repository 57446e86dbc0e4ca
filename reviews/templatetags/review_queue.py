"""``{% review_queue_rows assignments %}``: the rows of a reviewer's queue (``reviews/queue.html``).

One ``format_html`` per row instead of a template row with two included templates: the cluster
name and the state badge are ``cluster_name`` and ``state_badge``, which
``reviews/_cluster_name.html`` and ``_state_badge.html`` render too. The rows were about 40% of
a 50-row queue page's time (cProfile at 10,000 applications).
"""

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext

from portal.text import translated
from reviews.enums import AssignmentState

register = template.Library()

ROW = ('<tr data-assignment="{}"><td>{}</td><td>{}{}</td><td>{} · {}</td><td>{}</td>'
       '<td>{}</td><td>{}</td>'
       '<td class="text-end">{}</td></tr>')
BADGES = {AssignmentState.SUBMITTED: "text-bg-success", AssignmentState.CONFLICT: "text-bg-danger",
          AssignmentState.CONFLICT_CHECK: "text-bg-warning",
          AssignmentState.RELEASED: "text-bg-secondary"}


def _action(assignment, state):
    if state == AssignmentState.CONFLICT_CHECK:
        return format_html('<a class="btn btn-sm btn-primary" href="{}">{}</a>',
                           reverse("reviews:conflict", args=[assignment.pk]),
                           gettext("Check conflict of interest"))
    if state == AssignmentState.IN_PROGRESS:
        return format_html('<a class="btn btn-sm btn-primary" href="{}">{}</a>',
                           reverse("reviews:score", args=[assignment.pk]), gettext("Score"))
    if state == AssignmentState.SUBMITTED:
        return format_html('<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>',
                           reverse("reviews:score", args=[assignment.pk]), gettext("View"))
    return format_html('<span class="text-muted small">{}</span>',
                       gettext("Staff will assign another reviewer."))


@register.simple_tag
def state_badge(state) -> str:
    """An assignment state's badge (also ``reviews/_state_badge.html``)."""
    state = AssignmentState(state)
    return format_html('<span class="badge {}" data-state="{}">{}</span>',
                       BADGES.get(state, "text-bg-info"), state.value, state.label)


@register.simple_tag
def cluster_name(application) -> str:
    """The cluster line under a company's name (also ``reviews/_cluster_name.html``)."""
    try:
        cluster = application.cluster  # the reverse one-to-one, read with the row
    except ObjectDoesNotExist:
        return ""
    return format_html('<div class="small text-muted cluster-name">{}: {}</div>',
                       pgettext("track kind", "Cluster"), cluster.name)


@register.simple_tag
def review_queue_rows(assignments):
    """The queue's rows (``selectors.reviewer_queue``: round, call, application, company,
    track and cluster loaded, ``scored`` annotated), or one row saying none is assigned."""
    rows = []
    for assignment in assignments:
        application, state = assignment.application, assignment.state
        rows.append((
            assignment.pk, application.receipt_number or "—", application.company.name,
            cluster_name(application), translated(assignment.round.call, "title"),
            assignment.round.get_kind_display(), translated(application.track, "name"),
            state_badge(state), assignment.scored,
            _action(assignment, state)))
    if not rows:
        return format_html('<tr><td colspan="7" class="text-muted">{}</td></tr>',
                           gettext("No application is assigned to you yet."))
    return format_html_join("", ROW, rows)
