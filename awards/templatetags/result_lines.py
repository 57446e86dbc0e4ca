"""``{% result_line_rows lines %}``: the rows of an award run's result lines
(``awards/run_detail.html``, 50 a page).

One ``format_html`` per line instead of a template row of ten cells with their filters and
conditions: the rows were most of the preview's rendering (cProfile at 10,000 lines).
"""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from portal.templatetags.portal_tags import won
from portal.text import translated

from ..enums import Outcome

register = template.Library()

ROW = ('<tr id="line-{}" class="{}"><td>{}</td><td class="text-end">{}</td><td>{}</td>'
       '<td class="text-end">{}</td><td>{}{}</td><td class="text-end" data-stability="{}">{}'
       '</td><td class="{}">{}</td><td class="{}">{}</td><td class="{}">{}</td>'
       '<td class="{}">{} / {}</td></tr>')
ROW_CLASS = {Outcome.SELECTED: "table-success", Outcome.WAITLISTED: "table-warning"}


def _stability(value, warning: str):
    """The stability cell: a dash without one, a warning badge below 100%."""
    if value is None:
        return "—"
    if value < 100:
        return format_html('<span class="badge text-bg-warning" title="{}">{}%</span>',
                           warning, localize(value))
    return f"{localize(value)}%"


@register.simple_tag
def result_line_rows(lines):
    """The rows of ``lines`` (with their track and application's company loaded). A line not
    selected shows its amounts muted: what a selection would give."""
    warning = gettext("Leaving one reviewer out changes this decision in some "
                      "recomputations: look twice before confirming.")
    rows = []
    for line in lines:
        amounts = "text-end" if line.is_selected else "text-end text-muted"
        rows.append((
            line.application_id, ROW_CLASS.get(line.outcome, ""), translated(line.track, "name"),
            localize(line.rank), line.application.company.name, localize(line.final_score),
            line.get_outcome_display(),
            f" ({localize(line.waitlist_position)})" if line.waitlist_position else "",
            "" if line.stability is None else localize(line.stability),
            _stability(line.stability, warning),
            amounts, won(line.national), amounts, won(line.provincial), amounts,
            won(line.municipal), amounts, won(line.contribution_cash),
            won(line.contribution_in_kind)))
    return format_html_join("", ROW, rows)
