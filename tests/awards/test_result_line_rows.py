"""The rows of an award run's result lines (``result_line_rows``): the row class per outcome,
the waitlist position, the stability cell and the muted amounts of a line not selected."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from applications.models import Application
from awards.enums import Outcome
from awards.models import ResultLine
from companies.models import Company
from programs.models import Track


def line(pk, outcome, *, rank, score, stability, waitlist=None, national=0):
    return ResultLine(
        application_id=pk, application=Application(pk=pk, company=Company(name=f"기업 {pk}")),
        track=Track(name="고도화", name_en="Advanced"), outcome=outcome, rank=rank,
        final_score=Decimal(score), stability=stability, waitlist_position=waitlist,
        national=national, provincial=0, municipal=0, contribution_cash=30_000_000,
        contribution_in_kind=0)


def render(lines):
    return Template("{% load result_lines %}{% result_line_rows lines %}").render(
        Context({"lines": lines}))


def cells(muted, national, cash):
    css = "text-end text-muted" if muted else "text-end"
    return (f'<td class="{css}">{national}</td><td class="{css}">KRW 0</td>'
            f'<td class="{css}">KRW 0</td><td class="{css}">{cash} / KRW 0</td></tr>')


def test_each_outcome_s_row():
    lines = [line(1, Outcome.SELECTED, rank=1, score="91.50", stability=Decimal("100.00"),
                  national=200_000_000),
             line(2, Outcome.WAITLISTED, rank=2, score="88.25", stability=Decimal("83.33"),
                  waitlist=1, national=150_000_000),
             line(3, Outcome.NOT_SELECTED, rank=3, score="61.00", stability=None)]
    with translation.override("en"):
        assert render(lines) == (
            '<tr id="line-1" class="table-success"><td>Advanced</td><td class="text-end">1</td>'
            '<td>기업 1</td><td class="text-end">91.50</td><td>Selected</td>'
            '<td class="text-end" data-stability="100.00">100.00%</td>'
            + cells(False, "KRW 200,000,000", "KRW 30,000,000")
            + '<tr id="line-2" class="table-warning"><td>Advanced</td><td class="text-end">2'
            '</td><td>기업 2</td><td class="text-end">88.25</td><td>Waitlisted (1)</td>'
            '<td class="text-end" data-stability="83.33"><span class="badge text-bg-warning" '
            'title="Leaving one reviewer out changes this decision in some recomputations: '
            'look twice before confirming.">83.33%</span></td>'
            + cells(True, "KRW 150,000,000", "KRW 30,000,000")
            + '<tr id="line-3" class="">'
            '<td>Advanced</td><td class="text-end">3</td><td>기업 3</td>'
            '<td class="text-end">61.00</td><td>Not selected</td>'
            '<td class="text-end" data-stability="">—</td>'
            + cells(True, "KRW 0", "KRW 30,000,000"))
