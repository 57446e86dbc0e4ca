"""The score matrix as a table, written to CSV or XLSX for staff through the safe writers of
``portal.exports``.

An export holds the whole round (thousands of applications), so it is written a row at a
time: ``csv_stream`` yields CSV lines as ``matrix.matrix_export`` reads the applications
500 at a time, and ``xlsx_file`` appends the rows to a write-only sheet saved to a temporary
file, which the view streams."""

import tempfile
from itertools import chain

from django.utils.translation import gettext as _

from portal import exports
from portal.templatetags.portal_tags import tr

from . import matrix, round_scores
from .matrix import ScoreMatrix


def matrix_header(reviewers) -> list[str]:
    header = [_("Receipt number"), _("Company"), _("Track"), _("Status")]
    header += [str(reviewer.user) for reviewer in reviewers]
    header += [_("Submitted"), _("Assigned"), _("Mean"), _("Median"), _("Standard deviation"),
               _("Base score"), _("Bonus"), _("Final score"), _("Rank"), _("Cut-off"),
               _("Calibrated score"), _("Calibrated rank"), _("Range"), _("Disagreement")]
    return header


def matrix_row(row) -> list:
    """One application: its reviewers' totals (or states), then the figures."""
    application = row.application
    cells = []
    for cell in row.cells:
        if cell is None:
            cells.append("")
        elif cell.total is not None:
            cells.append(cell.total)
        else:
            cells.append(str(cell.state.label))
    spread, score, advice = row.spread, row.score, row.advice
    return [
        application.receipt_number or "", application.company.name,
        tr(application.track, "name"), application.get_status_display(), *cells,
        row.submitted, row.expected,
        spread.mean if spread else "", spread.median if spread else "",
        spread.stdev if spread else "",
        score.base_score if score else "", score.bonus if score else "",
        score.final_score if score else "", score.rank if score else "",
        (_("Above") if score.above_cutoff else _("Below")) if score else "",
        advice.calibrated_final if advice else "", advice.calibrated_rank if advice else "",
        advice.disagreement.range if advice else "",
        (_("Flagged") if advice.disagreement.flagged else "") if advice else "",
    ]


def matrix_table(matrix: ScoreMatrix) -> tuple[list[str], list[list]]:
    """Header and rows of a matrix already read: one row per application, one column per
    reviewer, then the figures."""
    return matrix_header(matrix.reviewers), [matrix_row(row) for row in matrix.rows]


def round_columns(evaluation_round) -> round_scores.RoundColumns:
    """A multi-round call's columns after the matrix's (none for a one-round call)."""
    return round_scores.round_columns(evaluation_round, (
        _("%(round)s score"), _("Weighted final score"), _("Weighted rank"), _("Passes on"),
        _("Rule that decided"), _("Yes"), _("No")))


def export_table(evaluation_round):
    """(header, rows) of the round's whole export: the matrix, then the rounds' columns."""
    reviewers, rows = matrix.matrix_export(evaluation_round)
    extra = round_columns(evaluation_round)
    header = matrix_header(reviewers) + extra.header
    if not extra.header:
        return header, map(matrix_row, rows)
    return header, (matrix_row(row) + extra.cells(row.application.pk) for row in rows)


def csv_stream(evaluation_round):
    """The round's whole matrix as CSV lines (UTF-8 with a byte-order mark, so that Excel
    opens the Korean text correctly; typed text neutralised by ``portal.exports``)."""
    header, rows = export_table(evaluation_round)
    for line in exports.csv_lines(chain([header], rows)):
        yield line.encode("utf-8")


def xlsx_file(evaluation_round):
    """The round's whole matrix as an XLSX file, open for reading from its start."""
    header, rows = export_table(evaluation_round)
    workbook = exports.xlsx_workbook()
    sheet = exports.table_sheet(workbook, _("Scores"), header)
    exports.write_rows(sheet, rows)
    file = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(file)
    file.seek(0)
    return file


def to_csv(matrix: ScoreMatrix) -> bytes:
    header, rows = matrix_table(matrix)
    return exports.csv_bytes([header, *rows])


def to_xlsx(matrix: ScoreMatrix) -> bytes:
    header, rows = matrix_table(matrix)
    workbook = exports.xlsx_workbook()
    sheet = exports.table_sheet(workbook, _("Scores"), header)
    exports.write_rows(sheet, rows)
    return exports.xlsx_bytes(workbook)
