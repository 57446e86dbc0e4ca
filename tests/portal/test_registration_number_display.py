"""Issue 11 item 10: a business registration number is always shown as 514-81-00546, however it
was stored or typed."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from companies.validators import format_registration_number as from_companies
from portal.numbers import format_registration_number


@pytest.mark.parametrize(("stored", "shown"), [
    ("5148100546", "514-81-00546"),
    ("514-81-00546", "514-81-00546"),
    ("５１４８１００５４６", "514-81-00546"),
    ("51481", "51481"),  # not ten digits: as typed, never a made-up hyphenation
    ("", ""),
    (None, ""),
])
def test_the_template_filter_formats_every_stored_form(stored, shown):
    rendered = Template("{{ number|registration_number }}").render(Context({"number": stored}))
    assert rendered == shown


def test_one_function_formats_the_number_everywhere():
    assert from_companies is format_registration_number


ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(path.relative_to(ROOT) for path in ROOT.glob("*/templates/**/*.html")
                   if ".venv" not in path.parts)


def test_the_scan_sees_the_templates():
    assert Path("applications/templates/applications/_version_body.html") in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=str)
def test_templates_never_print_a_stored_number_raw(path):
    raw = re.findall(r"\{\{\s*[\w.]*registration_number\s*\}\}", (ROOT / path).read_text())
    assert raw == []
