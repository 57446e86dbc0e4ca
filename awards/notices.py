"""The PDF notice: its context, its HTML and its rendering with WeasyPrint.

A notice is always Korean (DOMAIN.md §8). Every figure on it comes from the run's result line
and stored inputs, so it can be reproduced from the run alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal import korean
from programs.enums import FundingSource
from programs.money import SOURCE_ORDER

from . import fonts
from .enums import Outcome
from .models import Notice

STYLESHEET = Path(__file__).resolve().parent / "notice" / "notice.css"


@dataclass(frozen=True)
class ShareRow:
    source: str
    label: str
    amount: int


def verify_url(code: str) -> str:
    return settings.SITE_URL + reverse("awards:notice_verify", args=[code])


def qr_data_uri(url: str) -> str:
    """The verification address as an SVG QR code, inline (a ``data:`` URI)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def notice_context(notice: Notice) -> dict:
    """What the notice template shows. ``notice`` comes from :func:`notice_queryset`."""
    line = notice.line
    application = notice.application
    call = application.call
    labels = dict(FundingSource.choices)
    shares = [ShareRow(source.value, labels[source.value], line.share(source.value))
              for source in SOURCE_ORDER if line.share(source.value)]
    url = verify_url(notice.code)
    return {
        "notice": notice,
        "line": line,
        "run": notice.run,
        "application": application,
        "company": application.company,
        "call": call,
        "region": call.region,
        "programme": call.programme,
        "track": line.track,
        "shares": shares,
        "track_count": line.track_size,
        "cutoff": notice.run.cutoff_score,
        "min_cash_share": notice.run.min_cash_share,
        "is_selected": notice.kind == Outcome.SELECTED,
        "is_waitlisted": notice.kind == Outcome.WAITLISTED,
        "is_not_selected": notice.kind == Outcome.NOT_SELECTED,
        "issued_at": timezone.localtime(notice.generated_at or timezone.now()),
        "verify_url": url,
        "qr": qr_data_uri(url),
    }


def notice_queryset():
    """Notices with everything their PDF shows, in one query (the run's stored inputs stay
    unloaded: the run keeps the two figures a notice needs from them)."""
    return (Notice.objects
            .select_related("run", "line__track", "application__company",
                            "application__call__region", "application__call__programme")
            .defer("run__inputs"))


def notice_html(notice: Notice) -> str:
    with translation.override("ko"):
        # Korean particles after the company's name and the other values (portal.korean).
        return korean.resolve(render_to_string("awards/notice.html", notice_context(notice)))


@lru_cache(maxsize=1)
def _stylesheet_text() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def render_pdf(html: str) -> bytes:
    """Render notice HTML to an A4 PDF with the prepared Hangul fonts."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    prepared = fonts.ensure_fonts()
    folder = fonts.font_dir()
    fetcher = fonts.NoticeURLFetcher(folder)
    font_config = FontConfiguration()
    base_url = folder.resolve().as_uri() + "/"
    css = CSS(string=fonts.font_face_css(prepared) + _stylesheet_text(), base_url=base_url,
              url_fetcher=fetcher, font_config=font_config)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[css], font_config=font_config)


def render_notice(notice: Notice) -> bytes:
    """The PDF of a notice loaded with :func:`notice_queryset`."""
    return render_pdf(notice_html(notice))
