"""The score matrix's rows (``matrix_rows``, ``ranking_rows``): each cell's markup, the spread
and disagreement columns, the ranking's cut-off and the form asking for one more reviewer."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from reviews.enums import AssignmentState

pytestmark = pytest.mark.django_db


def cell(total=None, state=None):
    return SimpleNamespace(total=total, state=state)


def advice(flagged, stdev=Decimal("10.19"), spread_range=Decimal("27.5")):
    return SimpleNamespace(
        disagreement=SimpleNamespace(flagged=flagged, stdev=stdev, range=spread_range),
        calibrated_final=Decimal("81.25"), calibrated_rank=3)


def application():
    return SimpleNamespace(pk=7, receipt_number="GB-0007",
                           company=SimpleNamespace(name="대한정밀 <주>"),
                           track=SimpleNamespace(name="스마트공장", name_en="Smart factory"),
                           get_status_display=lambda: "Under review")


def render(source, **context):
    with translation.override("en"):
        return Template("{% load matrix_rows %}" + source).render(
            Context({"csrf_token": "TOKEN", **context}))


def test_a_matrix_row_has_each_cell_state_its_spread_and_disagreement(monkeypatch):
    monkeypatch.setattr("reviews.templatetags.matrix_rows.cluster_name", lambda app: "")
    row = SimpleNamespace(
        application=application(), submitted=2, expected=5, flagged=True,
        spread=SimpleNamespace(mean=Decimal("70.5"), median=Decimal("70.5"), stdev=0),
        advice=advice(True),
        cells=(None, cell(Decimal("71")), cell(Decimal("70.5")),
               cell(state=AssignmentState.CONFLICT), cell(state=AssignmentState.CONFLICT_CHECK),
               cell(state=AssignmentState.RELEASED), cell(state=AssignmentState.IN_PROGRESS)))
    html = render("{% matrix_rows rows evaluation_round %}", rows=[row],
                  evaluation_round=SimpleNamespace(pk=3))
    assert html == (
        '<tr data-application="7"><td><a href="/manage/reviews/rounds/3/applications/7/">'
        "GB-0007</a></td><td>대한정밀 &lt;주&gt;</td><td>Smart factory</td>"
        '<td class="text-end"><span class="text-muted">·</span></td>'
        '<td class="text-end">71</td><td class="text-end">70.5</td>'
        '<td class="text-end"><span class="badge text-bg-danger" data-state="conflict">'
        "Conflict: replace</span></td>"
        '<td class="text-end"><span class="badge text-bg-warning" data-state="conflict_check">'
        "Conflict check</span></td>"
        '<td class="text-end"><span class="badge text-bg-secondary" data-state="released">'
        "Released</span></td>"
        '<td class="text-end"><span class="badge text-bg-info" data-state="in_progress">'
        "In progress</span></td>"
        '<td class="text-end">2 / 5</td><td class="text-end">70.5</td>'
        '<td class="text-end">70.5</td><td class="text-end table-warning">—</td>'
        '<td><span class="badge text-bg-warning" data-disagreement '
        'title="Standard deviation 10.19, range 27.5">Disagreement</span></td></tr>')


def test_a_ranked_row_shows_the_cutoff_the_advice_and_the_extra_reviewer_form(monkeypatch):
    monkeypatch.setattr("reviews.templatetags.matrix_rows.cluster_name", lambda app: "")
    score = SimpleNamespace(rank=1, reviewer_count=5, base_score=Decimal("80.33"),
                            bonus=Decimal("2.0"), final_score=Decimal("82.33"),
                            above_cutoff=True)
    flagged = SimpleNamespace(application=application(), score=score, advice=advice(True),
                              flagged=True)
    quiet = SimpleNamespace(application=application(), flagged=False, advice=None,
                            score=SimpleNamespace(**{**vars(score), "above_cutoff": False}))
    html = render("{% ranking_rows rows evaluation_round %}", rows=[flagged, quiet],
                  evaluation_round=SimpleNamespace(pk=3))
    cells = ('<td>1</td><td>GB-0007</td><td>대한정밀 &lt;주&gt;</td><td>Under review</td>'
             '<td class="text-end">5</td><td class="text-end">80.33</td>'
             '<td class="text-end">2</td><td class="text-end fw-semibold">82.33</td>')
    assert html == (
        f'<tr data-application="7">{cells}'
        '<td><span class="badge text-bg-success">Above</span></td>'
        '<td class="text-end" data-calibrated>81.25</td>'
        '<td class="text-end" data-calibrated-rank>3</td>'
        '<td><span class="badge text-bg-warning" data-disagreement '
        'title="Standard deviation 10.19, range 27.5">Disagreement</span>\n'
        '<form method="post" action="/manage/reviews/rounds/3/applications/7/extra-reviewer/" '
        'class="d-inline" data-once><input type="hidden" name="csrfmiddlewaretoken" '
        'value="TOKEN"><button class="btn btn-warning btn-sm" type="submit" '
        "data-extra-reviewer>Ask for one more reviewer</button></form></td></tr>"
        f'<tr data-application="7">{cells}'
        '<td><span class="badge text-bg-secondary">Below</span></td>'
        '<td class="text-end" data-calibrated>—</td>'
        '<td class="text-end" data-calibrated-rank>—</td><td></td></tr>')


def test_the_disagreement_badge_without_disagreement_is_a_dash_and_without_advice_empty():
    assert render("{% disagreement_badge a %}", a=advice(False)) == (
        '<span class="text-muted">—</span>')
    assert render("{% disagreement_badge a %}", a=None) == ""
