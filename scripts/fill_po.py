"""Fill Korean msgstr from a Python file of translations:
``python scripts/fill_po.py [--app reviews] T.py`` (``--app portal`` is the shell's ``locale/``;
without ``--app`` every catalogue).

The file defines ``T``: keys are a msgid, a (context, msgid) pair, or a one-element tuple
``(msgid,)`` for a plural entry whose value is the list of Korean forms (Korean has one).
Only untranslated or fuzzy entries are filled; the catalogues are then compiled by
``make messages``. Prints what is still untranslated.
"""

import runpy
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


APPS = ("accounts", "programs", "companies", "applications", "clusters", "reviews", "awards",
        "inquiries", "alerts", "results", "api", "projects", "settlement")


def catalogues(app=None):
    if app in (None, "portal"):
        yield ROOT / "locale/ko/LC_MESSAGES/django.po"
    for name in APPS:
        path = ROOT / name / "locale/ko/LC_MESSAGES/django.po"
        if app in (None, name) and path.exists():
            yield path


def main(paths, app=None):
    table = {}
    for path in paths:
        table.update(runpy.run_path(path)["T"])
    missing = 0
    for po_path in catalogues(app):
        po = polib.pofile(str(po_path))
        for entry in po:
            if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
                continue
            applied = False
            if entry.msgid_plural:
                forms = table.get((entry.msgid,))
                if forms:
                    entry.msgstr_plural = dict(enumerate(forms))
                    applied = True
            else:
                key = (entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid
                if table.get(key):
                    entry.msgstr = table[key]
                    applied = True
            # A fuzzy entry is msgmerge's guess: it stays fuzzy until the table translates it.
            if applied and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if not entry.translated():
                missing += 1
                print(f"{po_path.relative_to(ROOT)}: {entry.msgctxt or ''}|{entry.msgid}")
        po.save()
    print(f"{missing} untranslated")


if __name__ == "__main__":
    args = sys.argv[1:]
    app = None
    if args[:1] == ["--app"]:
        app, args = args[1], args[2:]
        if app not in (*APPS, "portal"):
            sys.exit(f"unknown app {app!r}: one of {', '.join((*APPS, 'portal'))}")
    main(args, app)
