"""Both catalogues complete and compiled: Korean fully translated, English present, the
compiled .mo files in step with the .po files, and no string in the code missing from them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE_DIRS = [Path(p) for p in settings.LOCALE_PATHS]


def po_files(language):
    return [d / language / "LC_MESSAGES" / "django.po" for d in CATALOGUE_DIRS
            if (d / language / "LC_MESSAGES" / "django.po").exists()]


def entry_keys(po):
    return {(e.msgctxt, e.msgid) for e in po if not e.obsolete}


def test_catalogues_exist_for_korean_and_english():
    assert len(po_files("ko")) == len(CATALOGUE_DIRS)
    assert len(po_files("en")) == len(CATALOGUE_DIRS)


@pytest.mark.parametrize("path", po_files("ko"), ids=str)
def test_korean_catalogue_fully_translated(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize("language", ["ko", "en"])
def test_compiled_catalogues_match_sources(language):
    for path in po_files(language):
        po = polib.pofile(str(path))
        mo = polib.mofile(str(path.with_suffix(".mo")))
        expected = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
                    for e in po.translated_entries()}
        compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo if e.msgid}
        assert compiled == expected, f"{path}: run `make messages` to compile it"


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """Extract the strings again from a copy of the source and compare with the catalogues."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns(".venv", ".git", "staticfiles", "var", "node_modules",
                                    "__pycache__", "*.mo", "tests", "db.sqlite3", "build")
    shutil.copytree(root, copy, ignore=ignore)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    ignores = [f"--ignore={d}" for d in ["staticfiles", "var", "bench", "scripts", "build"]]
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "ko", "--no-obsolete",
                    "--no-location", *ignores], cwd=copy, env=env, check=True,
                   capture_output=True)
    for path in po_files("ko"):
        fresh = polib.pofile(str(copy / path.relative_to(root)))
        committed = polib.pofile(str(path))
        assert entry_keys(fresh) == entry_keys(committed), (
            f"{path.relative_to(root)} is out of date: run `make messages` and translate")


def test_a_string_shared_by_catalogues_has_one_korean_translation():
    """Catalogues are merged in LOCALE_PATHS order, so the first one's Korean wins for a string
    several apps use: they must agree, or one app shows another's wording (give it a context)."""
    translations = {}
    for path in po_files("ko"):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                key = (entry.msgctxt, entry.msgid)
                value = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
                translations.setdefault(key, set()).add(value)
    disagreements = {key: values for key, values in translations.items() if len(values) > 1}
    assert disagreements == {}
