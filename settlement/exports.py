"""The payment file of a call for the finance office (CSV or XLSX, through
``portal.exports``): each confirmed payment order, one row per funding source paid, with the
project account to pay into."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exports import csv_bytes, table_sheet, write_rows, xlsx_bytes, xlsx_workbook
from programs.enums import FundingSource
from projects.money import SOURCES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [_("Order"), _("Confirmed at"), _("Receipt number"), _("Company"),
            _("Instalment"), _("Funding source"), _("Amount (won)"), _("Bank"),
            _("Account number"), _("Account holder")]


def payment_rows(orders) -> list[list]:
    labels = dict(FundingSource.choices)
    rows = [header()]
    for order in orders:
        application = order.project.agreement.application
        for source in SOURCES:
            amount = order.shares[source]
            if amount:
                rows.append([order.pk, timezone.localtime(order.confirmed_at).replace(
                    tzinfo=None), application.receipt_number, application.company.name,
                    str(order.get_kind_display()), str(labels[source]), amount,
                    order.bank_name, order.account_number, order.account_holder])
    return rows


def as_csv(rows) -> bytes:
    return csv_bytes(rows)


def as_xlsx(rows) -> bytes:
    workbook = xlsx_workbook()
    sheet = table_sheet(workbook, _("Payments"), rows[0])
    write_rows(sheet, rows[1:])
    return xlsx_bytes(workbook)


def kpi_rows(rows, years: int) -> list[list]:
    from applications.enums import Kpi

    labels = dict(Kpi.choices)
    header = [_("Receipt number"), _("Company"), _("KPI"), _("Baseline"), _("Target")]
    header += [_("Year %(year)d") % {"year": year} for year in range(1, years + 1)]
    table = [header]
    for row in rows:
        application = row["project"].agreement.application
        table.append([application.receipt_number, application.company.name,
                      str(labels.get(row["code"], row["code"])), row["baseline"],
                      row["target"], *row["years"]])
    return table
