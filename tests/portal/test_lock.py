"""The lock files (``make lock``): requirements/production.txt for the image and
requirements/test.txt for the virtualenv and CI pin, with hashes, a version of every
dependency pyproject.toml names that its range allows, and agree with each other."""

import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)(?: ;.*?)? \\$")


def pins(name):
    text = (ROOT / "requirements" / name).read_text()
    found = {canonicalize_name(m.group(1)): m.group(2)
             for m in map(PIN.match, text.splitlines()) if m}
    return found, text


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize(("lock", "groups"), [
    ("production.txt", ["dependencies"]),
    ("test.txt", ["dependencies", "test"]),
])
def test_lock_pins_every_dependency_within_its_range(lock, groups):
    locked, _text = pins(lock)
    project = pyproject()
    wanted = [Requirement(line) for group in groups
              for line in (project[group] if group == "dependencies"
                           else project["optional-dependencies"][group])]
    outside = [(str(r), locked.get(canonicalize_name(r.name))) for r in wanted
               if not r.specifier.contains(locked.get(canonicalize_name(r.name), "0"),
                                           prereleases=True)]
    assert outside == [], "run `make lock`"


def test_lock_files_agree_and_production_has_no_test_tool():
    production, _ = pins("production.txt")
    test, _ = pins("test.txt")
    assert {name: test.get(name) for name in production} == production
    assert sorted({"pytest", "playwright", "ruff", "aiosmtpd", "uv"} & set(production)) == []


@pytest.mark.parametrize("lock", ["production.txt", "test.txt"])
def test_lock_pins_carry_hashes(lock):
    locked, text = pins(lock)
    entries = re.split(r"\n(?=[A-Za-z])", text.split("\n", 2)[2])
    assert len(entries) == len(locked)
    assert [e.split(" ")[0] for e in entries if "--hash=sha256:" not in e] == []
