"""``{% round_application_rows applications evaluation_round %}``: the applications of a round's
assignments page (``reviews/round_assignments.html``).

One ``format_html`` per row instead of a template row with an included cluster name and a
loop over the reviewers with a chain of conditions per badge: 50 applications with five
reviewers each were most of the page's rendering (cProfile at 10,000 applications).
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal.text import translated

from .review_queue import cluster_name, state_badge

register = template.Library()

ROW = ('<tr data-application="{}"><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td>'
       '<td class="text-end"><a href="{}">{}</a></td></tr>')
NONE = mark_safe('<span class="text-muted">—</span>')


def _reviewers(assignments) -> str:
    """Each reviewer not released with the state badge, a dash when none was ever assigned."""
    if not assignments:
        return NONE
    return format_html_join("", '<span class="me-2 text-nowrap">{} {}</span>', (
        (str(assignment.reviewer), state_badge(assignment.state))
        for assignment in assignments if not assignment.released_at))


@register.simple_tag
def round_application_rows(applications, evaluation_round) -> str:
    """The ``<tr>`` of each application (``views.round_applications_page``: company, track,
    cluster and ``round_assignments`` loaded)."""
    manage = gettext("Manage")
    return mark_safe("".join(format_html(  # each row escaped HTML
        ROW, application.pk, application.receipt_number or "—", application.company.name,
        cluster_name(application), translated(application.track, "name"),
        application.get_status_display(), _reviewers(application.round_assignments),
        reverse("reviews:application", args=[evaluation_round.pk, application.pk]), manage)
        for application in applications))
