"""``{% operator_application_rows applications %}``: the rows of the staff and operator
application list (``applications/operator_list.html``).

One ``format_html`` per row instead of a template row with an included status badge
(``status_badge``, which ``applications/_status_badge.html`` renders too): the rows were
most of a 50-row page's rendering (cProfile at 10,000 applications).
"""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from portal.text import translated

register = template.Library()

BADGES = {"draft": "text-bg-secondary", "submitted": "text-bg-primary",
          "withdrawn": "text-bg-dark", "ineligible": "text-bg-dark",
          "not_selected": "text-bg-dark", "selected": "text-bg-success",
          "agreement": "text-bg-success", "eligible": "text-bg-success"}
ROW = ('<tr><td><a href="{}">{}</a></td><td>{} <span class="small text-muted">{}</span></td>'
       '<td>{}</td><td>{}</td><td>{}</td></tr>')


@register.simple_tag
def status_badge(application) -> str:
    """An application's status badge (also ``applications/_status_badge.html``)."""
    status = application.status
    return format_html('<span class="badge {}" data-status="{}">{}</span>',
                       BADGES.get(status, "text-bg-info"), status, application.status_label)


@register.simple_tag(takes_context=True)
def operator_application_rows(context, applications):
    """The list's rows (``selectors.operator_applications``: company and track loaded): staff
    open the screening page, operators the read-only detail."""
    page = "applications:screening" if context["user"].is_staff \
        else "applications:operator_detail"
    rows = [(reverse(page, args=[application.pk]), application.receipt_number,
             application.company.name, application.company.registration_number_display,
             translated(application.track, "name"), status_badge(application),
             timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M")
             if application.submitted_at else "")
            for application in applications]
    if not rows:
        return format_html('<tr><td colspan="5" class="text-muted">{}</td></tr>',
                           gettext("No applications yet."))
    return format_html_join("", ROW, rows)
