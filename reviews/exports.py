"""The score matrix as a table, written to CSV or XLSX for staff through the safe writers of
``portal.exports``."""

from django.utils.translation import gettext as _

from portal import exports
from portal.templatetags.portal_tags import tr

from .selectors import ScoreMatrix


def matrix_table(matrix: ScoreMatrix) -> tuple[list[str], list[list]]:
    """Header and rows: one row per application, one column per reviewer, then the figures."""
    header = [_("Receipt number"), _("Company"), _("Track"), _("Status")]
    header += [str(reviewer.user) for reviewer in matrix.reviewers]
    header += [_("Submitted"), _("Assigned"), _("Mean"), _("Median"), _("Standard deviation"),
               _("Base score"), _("Bonus"), _("Final score"), _("Rank"), _("Cut-off")]
    rows = []
    for row in matrix.rows:
        application = row.application
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append("")
            elif cell.total is not None:
                cells.append(cell.total)
            else:
                cells.append(str(cell.state.label))
        spread, score = row.spread, row.score
        rows.append([
            application.receipt_number or "", application.company.name,
            tr(application.track, "name"), application.get_status_display(), *cells,
            row.submitted, row.expected,
            spread.mean if spread else "", spread.median if spread else "",
            spread.stdev if spread else "",
            score.base_score if score else "", score.bonus if score else "",
            score.final_score if score else "", score.rank if score else "",
            (_("Above") if score.above_cutoff else _("Below")) if score else "",
        ])
    return header, rows


def to_csv(matrix: ScoreMatrix) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Korean text correctly; typed text
    is neutralised by ``portal.exports`` (no cell starts a formula)."""
    header, rows = matrix_table(matrix)
    return exports.csv_bytes([header, *rows])


def to_xlsx(matrix: ScoreMatrix) -> bytes:
    header, rows = matrix_table(matrix)
    workbook = exports.xlsx_workbook()
    sheet = exports.table_sheet(workbook, _("Scores"), header)
    exports.write_rows(sheet, rows)
    return exports.xlsx_bytes(workbook)
