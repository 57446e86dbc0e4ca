"""The settlement notice (정산 결과 통지서) through the notices' pipeline: the same WeasyPrint
set-up and fonts (``awards.notices.render_pdf``), verification code and QR code checked on the
same public verify page (``selectors.verified_document``). Always Korean, as the notices are."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from applications.enums import CostItem
from awards.notices import qr_data_uri, render_pdf, verify_url
from programs.enums import FundingSource
from projects.documents import share_rows
from projects.money import SOURCES

from .models import LedgerEntry, Refund, Settlement
from .selectors import Figures


def settlement_context(settlement: Settlement) -> dict:
    project = settlement.project
    agreement = project.agreement
    application = agreement.application
    url = verify_url(settlement.code)
    labels = dict(FundingSource.choices)
    figures = Figures()
    for entry in LedgerEntry.objects.filter(project=project).only("kind", "source", "amount"):
        figures.add(entry.kind, entry.source, entry.amount)
    rows = [{"label": labels[source], "agreed": agreement.shares[source],
             "settled": settlement.settled[source], "paid": figures.paid[source],
             "refund": figures.refund_raised[source]}
            for source in SOURCES if agreement.shares[source] or figures.paid[source]]
    items = dict(CostItem.choices)
    return {
        "settlement": settlement,
        "agreement": agreement,
        "application": application,
        "company": application.company,
        "call": application.call,
        "programme": application.call.programme,
        "region": application.call.region,
        "track": application.track,
        "rows": rows,
        "costs": [{"label": items[item], "agreed": agreement.costs[item],
                   "recognised": settlement.recognised.get(item, 0)}
                  for item in agreement.costs],
        "shares": share_rows(settlement.settled),
        "refunds": list(Refund.objects.filter(project=project).order_by("pk")),
        "issued_at": timezone.localtime(settlement.generated_at or timezone.now()),
        "verify_url": url,
        "qr": qr_data_uri(url),
    }


def render_settlement_notice(settlement: Settlement) -> bytes:
    with translation.override("ko"):
        return render_pdf(render_to_string("settlement/settlement_notice_pdf.html",
                                           settlement_context(settlement)))
