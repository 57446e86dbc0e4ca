"""The score matrix as a table, written to CSV or XLSX (openpyxl) for staff."""

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
    """UTF-8 with a byte-order mark, so that Excel opens the Korean text correctly."""
    header, rows = matrix_table(matrix)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"{value:f}" if isinstance(value, Decimal) else value
                         for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(matrix: ScoreMatrix) -> bytes:
    header, rows = matrix_table(matrix)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Scores")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(value) if isinstance(value, Decimal) else value for value in row])
    for index, title in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(str(title)) + 4)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
