"""The PDFs of the post-award life cycle — the agreement (협약서) of each version and the
additional selection notice (추가 선정 통지서) — through the notices' pipeline: the same
WeasyPrint set-up and fonts (``awards.notices.render_pdf``), verification codes and QR codes
checked on the same public verify page. Always Korean, as the notices are."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from awards.notices import ShareRow, qr_data_uri, render_pdf, verify_url
from programs.enums import FundingSource
from programs.money import SOURCE_ORDER

from .models import AdditionalNotice, AgreementVersion


def share_rows(amounts: dict[str, int]) -> list[ShareRow]:
    labels = dict(FundingSource.choices)
    return [ShareRow(source.value, labels[source.value], amounts.get(source.value, 0))
            for source in SOURCE_ORDER if amounts.get(source.value, 0)]


def agreement_context(version: AgreementVersion) -> dict:
    agreement = version.agreement
    application = agreement.application
    url = verify_url(version.code)
    data = version.data
    return {
        "version": version,
        "data": data,
        "agreement": agreement,
        "application": application,
        "company": application.company,
        "call": application.call,
        "programme": application.call.programme,
        "region": application.call.region,
        "shares": share_rows(data["support"]),
        "costs": data["costs"],
        "issued_at": timezone.localtime(version.generated_at or timezone.now()),
        "verify_url": url,
        "qr": qr_data_uri(url),
    }


def render_agreement(version: AgreementVersion) -> bytes:
    with translation.override("ko"):
        return render_pdf(render_to_string("projects/agreement_pdf.html",
                                           agreement_context(version)))


def additional_notice_context(notice: AdditionalNotice) -> dict:
    line = notice.line
    application = notice.application
    url = verify_url(notice.code)
    return {
        "notice": notice,
        "line": line,
        "application": application,
        "company": application.company,
        "call": application.call,
        "programme": application.call.programme,
        "region": application.call.region,
        "track": line.run.track,
        "shares": share_rows({"national": line.national, "provincial": line.provincial,
                              "municipal": line.municipal}),
        "issued_at": timezone.localtime(notice.generated_at or timezone.now()),
        "verify_url": url,
        "qr": qr_data_uri(url),
    }


def render_additional_notice(notice: AdditionalNotice) -> bytes:
    with translation.override("ko"):
        return render_pdf(render_to_string("projects/additional_notice_pdf.html",
                                           additional_notice_context(notice)))
