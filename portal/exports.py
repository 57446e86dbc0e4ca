"""The only writers of spreadsheets the portal hands out (CSV and XLSX), safe against formula
injection: text that people typed (a company named ``=HYPERLINK(…)``) never becomes a live
formula when staff open the file.

* CSV goes through defusedcsv, which puts a ``'`` before a cell starting with ``=``, ``+``,
  ``-``, ``@``, ``|`` or ``%`` (negative numbers excepted); cells starting with a tab or a
  carriage return, which it leaves, get the same ``'`` here (OWASP's list).
* XLSX cells holding text are always typed as strings (``t="inlineStr"``), never formulas, and
  text that looks like a formula carries Excel's quote prefix, so editing the cell keeps it
  text. Numbers stay numbers. Characters XML cannot hold are dropped instead of failing.

Both are row-oriented: ``csv_lines`` turns an iterable of rows into CSV lines one at a time
and ``write_rows`` appends rows to a write-only openpyxl sheet, so an export can stream.
Every export uses this module (``reviews/exports.py``); a new one must too.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from defusedcsv import csv
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")
BYTE_ORDER_MARK = "\ufeff"


class _Line:
    """A file object that keeps the last line the csv writer wrote."""

    def write(self, text):
        self.text = text


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text[:1] in ("\t", "\r"):
        return "'" + text  # defusedcsv leaves these two
    return text


def csv_lines(rows: Iterable[Sequence], *, byte_order_mark=True) -> Iterator[str]:
    """Each row as one CSV line, neutralised. The first line starts with a byte-order mark
    (unless asked not to), so that Excel reads the Korean text as UTF-8."""
    line = _Line()
    writer = csv.writer(line)
    prefix = BYTE_ORDER_MARK if byte_order_mark else ""
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
        yield prefix + line.text
        prefix = ""


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """The whole CSV file in UTF-8 (with its byte-order mark)."""
    return "".join(csv_lines(rows)).encode("utf-8")


def xlsx_cell(sheet, value, *, bold=False) -> WriteOnlyCell:
    """A cell of a write-only sheet that openpyxl never treats as a formula: text is typed
    ``s``; numbers, dates and booleans keep their own type (Decimal becomes a float); an empty
    string is an empty cell."""
    if isinstance(value, Decimal):
        value = float(value)
    if value == "":
        value = None  # an empty cell, not an empty string
    if value is None or isinstance(value, bool | int | float | datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_rows(sheet, rows: Iterable[Sequence], *, bold=False) -> None:
    """Append rows to a write-only sheet, every value through ``xlsx_cell``."""
    for row in rows:
        sheet.append([xlsx_cell(sheet, value, bold=bold) for value in row])


def xlsx_workbook() -> Workbook:
    return Workbook(write_only=True)


def table_sheet(workbook: Workbook, title: str, header: Sequence, *, freeze="B2"):
    """A write-only sheet with a bold header row, columns as wide as their titles and the
    panes frozen below the header; append the rows with ``write_rows``."""
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", title)[:31])
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(str(name)) + 4)
    sheet.freeze_panes = freeze
    write_rows(sheet, [header], bold=True)
    return sheet


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
