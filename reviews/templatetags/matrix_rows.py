"""``{% matrix_rows rows evaluation_round %}``: the score matrix's rows (``reviews/matrix.html``).

One ``format_html`` per row and per cell instead of a template row with a loop over the
reviewer columns, a chain of conditions per cell and two included templates: with 25
reviewers a page of 50 applications has 1,250 cells, and the rows were most of the matrix's
rendering (cProfile at 10,000 applications). The cluster name, the state badge and the
disagreement badge are ``cluster_name``, ``state_badge`` and ``disagreement_badge``, which the
included templates render too.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from portal.text import translated

from .review_queue import cluster_name, state_badge

register = template.Library()

EMPTY = mark_safe('<td class="text-end"><span class="text-muted">·</span></td>')
ROW = ('<tr data-application="{}"><td><a href="{}">{}</a></td><td>{}{}</td><td>{}</td>{}'
       '<td class="text-end">{} / {}</td><td class="text-end">{}</td>'
       '<td class="text-end">{}</td><td class="text-end{}">{}</td><td>{}</td></tr>')


def _cell(cell) -> str:
    if cell is None:
        return EMPTY
    if cell.total is not None:
        return format_html('<td class="text-end">{}</td>', floatformat(cell.total, "-1"))
    return format_html('<td class="text-end">{}</td>', state_badge(cell.state))


def _or_dash(value):
    return localize(value) if value else "—"  # the template's |default:"—"


@register.simple_tag
def disagreement_badge(advice) -> str:
    """The disagreement badge of a row's advice, a dash without disagreement, nothing without
    advice (also ``reviews/_disagreement.html``)."""
    if advice is None:
        return ""
    disagreement = advice.disagreement
    if not disagreement.flagged:
        return mark_safe('<span class="text-muted">—</span>')
    return format_html(
        '<span class="badge text-bg-warning" data-disagreement title="{}">{}</span>',
        gettext("Standard deviation %(stdev)s, range %(range)s") % {
            "stdev": localize(disagreement.stdev),
            "range": floatformat(disagreement.range, "-1")},
        gettext("Disagreement"))


@register.simple_tag
def matrix_rows(rows, evaluation_round) -> str:
    """The ``<tr>`` of each ``matrix.MatrixRow``: receipt number, company, track, the
    reviewers' cells, progress, spread and disagreement."""
    html = []
    for row in rows:
        application, spread = row.application, row.spread
        html.append(format_html(
            ROW, application.pk,
            reverse("reviews:application", args=[evaluation_round.pk, application.pk]),
            application.receipt_number or application.pk, application.company.name,
            cluster_name(application), translated(application.track, "name"),
            mark_safe("".join(_cell(cell) for cell in row.cells)),  # each cell escaped HTML
            localize(row.submitted), localize(row.expected),
            _or_dash(spread and spread.mean), _or_dash(spread and spread.median),
            " table-warning" if row.flagged else "", _or_dash(spread and spread.stdev),
            disagreement_badge(row.advice)))
    return mark_safe("".join(html))  # each row escaped HTML


RANKED = ('<tr data-application="{}"><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td>'
          '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
          '<td class="text-end fw-semibold">{}</td><td>{}</td>'
          '<td class="text-end" data-calibrated>{}</td>'
          '<td class="text-end" data-calibrated-rank>{}</td><td>{}{}</td></tr>')


def _extra_reviewer(evaluation_round, application, csrf_token) -> str:
    return format_html(
        '\n<form method="post" action="{}" class="d-inline" data-once>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button class="btn btn-warning btn-sm" type="submit" data-extra-reviewer>{}</button>'
        "</form>",
        reverse("reviews:extra_reviewer", args=[evaluation_round.pk, application.pk]),
        csrf_token, gettext("Ask for one more reviewer"))


@register.simple_tag(takes_context=True)
def ranking_rows(context, rows, evaluation_round) -> str:
    """The ``<tr>`` of each ranked ``matrix.MatrixRow`` of one track: rank, receipt number,
    company, status, the rule's figures, cut-off, the calibrated advice and, for a row in
    disagreement, the form asking for one more reviewer."""
    above = format_html('<span class="badge text-bg-success">{}</span>', gettext("Above"))
    below = format_html('<span class="badge text-bg-secondary">{}</span>', gettext("Below"))
    html = []
    for row in rows:
        application, score, advice = row.application, row.score, row.advice
        html.append(format_html(
            RANKED, application.pk, localize(score.rank),
            application.receipt_number or application.pk, application.company.name,
            cluster_name(application), application.get_status_display(),
            localize(score.reviewer_count), localize(score.base_score),
            floatformat(score.bonus, "-1"), localize(score.final_score),
            above if score.above_cutoff else below,
            _or_dash(advice and advice.calibrated_final),
            _or_dash(advice and advice.calibrated_rank), disagreement_badge(advice),
            _extra_reviewer(evaluation_round, application, context.get("csrf_token"))
            if row.flagged else ""))
    return mark_safe("".join(html))  # each row escaped HTML
