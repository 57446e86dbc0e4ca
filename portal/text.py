"""Text helpers of the whole site: bilingual fields, and Markdown rendering with sanitising
(no script, no event handler, no javascript: link survives)."""

import markdown as md
import nh3
from django.utils.translation import get_language


def translated(obj, field):
    """``obj.<field>_en`` when English is active and it is filled in, else ``obj.<field>``.

    Names and texts entered by staff are Korean first with an optional English version.
    """
    if obj is None:
        return ""
    if (get_language() or "ko").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")

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
