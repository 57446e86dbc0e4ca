"""Reading rendered pages in tests: the text of the element with a given id."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _TextById(HTMLParser):
    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.depth, self.parts, self.found = element_id, 0, [], False

    def handle_starttag(self, tag, attrs):
        if self.depth:
            if tag not in VOID:
                self.depth += 1
            elif tag == "br":
                self.parts.append(" ")
        elif dict(attrs).get("id") == self.element_id and not self.found:
            self.found, self.depth = True, 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1
            if tag == "li":
                self.parts.append(" | ")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_by_id(html, element_id) -> str | None:
    """The text inside ``id=element_id`` with runs of white space made one space (list items
    end with `` | ``), or None when no such element exists."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = _TextById(element_id)
    parser.feed(html)
    if not parser.found:
        return None
    return " ".join("".join(parser.parts).split()).removesuffix(" |")
