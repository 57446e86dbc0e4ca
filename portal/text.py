"""Text helpers of the whole site: bilingual fields, and Markdown rendering with sanitising
(no script, no event handler, no javascript: link survives)."""

from functools import lru_cache

import markdown as md
import nh3
from django.utils.translation import get_language, gettext, trans_real


def translated(obj, field):
    """``obj.<field>_en`` when English is active and it is filled in, else ``obj.<field>``.

    Names and texts entered by staff are Korean first with an optional English version.
    """
    if obj is None:
        return ""
    return in_language(getattr(obj, field, ""), getattr(obj, f"{field}_en", ""))


def in_language(korean, english):
    """``english`` when English is active and it is filled in, else ``korean``: ``translated``
    on plain values (rows read with ``values_list``)."""
    if english and (get_language() or "ko").startswith("en"):
        return english
    return korean

def in_reader_language(text: str) -> str:
    """A text the portal wrote into a record, shown in the reader's language.

    The reason of a state change ("Reviewers assigned."), a supplier's specialty from the
    portal's vocabulary (``companies.terms``) and the like are stored in the language of
    whoever caused them. Korean readers get an English source text translated; English readers
    get a Korean text back as the English it translates, when a catalogue has it. Anything
    else — what a person typed — is shown as written."""
    if not text:
        return text
    if (get_language() or "ko").startswith("en"):
        return _korean_sources().get(text, text)
    return gettext(text)


@lru_cache(maxsize=1)
def _korean_sources() -> dict[str, str]:
    """Korean translation → its English source, over every catalogue (singular entries)."""
    sources = {}
    for msgid, msgstr in trans_real.translation("ko")._catalog.items():
        if isinstance(msgid, str) and msgid and msgstr and msgstr != msgid:
            sources.setdefault(msgstr, msgid.split("\x04")[-1])
    return sources


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"},
                      "th": {"align"}}


def render_markdown(text: str) -> str:
    html = md.markdown(text, extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
