"""The glossary of the README's translation section holds in every Korean catalogue: no Korean
msgstr uses a term the glossary replaces (its last column)."""

import re
from pathlib import Path

import polib
from django.conf import settings

README = Path(settings.BASE_DIR) / "README.md"


def replaced_terms():
    """The terms of the glossary table's last column (parenthesised notes left out)."""
    text = README.read_text()
    table = text[text.index("**Glossary.**"):].split("\n\n")[1]
    terms = set()
    for row in table.splitlines()[2:]:
        last = row.strip().strip("|").split("|")[-1]
        for term in re.sub(r"\([^)]*\)", "", last).split(","):
            if term.strip():
                terms.add(term.strip())
    return terms


def korean_catalogues():
    return [Path(p) / "ko" / "LC_MESSAGES" / "django.po" for p in settings.LOCALE_PATHS]


def test_the_glossary_lists_the_replaced_terms():
    assert replaced_terms() == {"신청하기", "재개", "공동 사항", "기업 부담금", "자부담금",
                                "올리기", "올렸습니다", "올린", "업로드", "시각", "pool",
                                "고쳐 주십시오", "값을 고치십시오"}


def test_no_korean_msgstr_uses_a_term_the_glossary_replaces():
    terms = replaced_terms() - {"신청하기"}  # the Apply button keeps it (checked below)
    found = []
    for path in korean_catalogues():
        for entry in polib.pofile(str(path)):
            texts = [entry.msgstr, *entry.msgstr_plural.values()]
            found += [(path.parent.parent.parent.name, entry.msgid, term)
                      for term in terms for text in texts if term in text]
    assert found == []


def test_only_buttons_say_sinchonghagi():
    """신청하기 is the Apply button (and 협약변경 신청하기, a request's button), never a label for
    the application window."""
    uses = set()
    for path in korean_catalogues():
        for entry in polib.pofile(str(path)):
            if "신청하기" in entry.msgstr:
                uses.add((entry.msgctxt, entry.msgid))
    assert uses == {(None, "Apply"), (None, "Apply for your company"),
                    (None, "Request a change"), (None, "File the request"),
                    (None, "No applications yet. Open an announcement and press Apply.")}
