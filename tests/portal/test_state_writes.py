"""Every life cycle goes through ``portal.state``: no code writes a status field of a model
that has a transition table by itself (``.status = …``, ``update(status=…)``)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["programs", "companies", "applications", "clusters", "reviews", "awards", "projects",
        "settlement", "inquiries", "alerts", "results", "api", "accounts", "portal"]
WRITE = re.compile(r"\.status\s*=(?!=)|(\)|objects)\.update\([^)]*\bstatus\s*=", re.S)
# Statuses kept outside ``portal.state``, and why:
EXEMPT = {
    # The mechanism itself.
    "portal/state.py",
    # The outbox's delivery bookkeeping (pending → published → done), not a life cycle of the
    # domain: each move is a locked, conditional update of its own (outbox/services.py).
    "outbox/services.py",
    # An announcement is published or unpublished with an AnnouncementChange row naming who
    # and when (programs/services.py); a question is answered or closed by its answer.
    "programs/services.py",
    "inquiries/services.py",
}


def writes(path: Path) -> list[str]:
    text = path.read_text()
    found = []
    for match in WRITE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        source = text.splitlines()[line - 1].strip()
        if source.startswith("#"):
            continue
        # Reading another object's status into an in-memory copy the caller holds.
        if re.search(r"\.status\s*=\s*locked\.status", source):
            continue
        found.append(f"{path.relative_to(ROOT)}:{line}: {source}")
    return found


def test_no_status_is_written_outside_the_state_machine():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "/migrations/" in relative or relative in EXEMPT:
                continue
            found.extend(writes(path))
    assert found == []


def test_the_scan_finds_a_direct_write(tmp_path):
    sample = ROOT / "tests" / "portal" / "_sample_status_write.py"
    sample.write_text("run.status = 'confirmed'\nNotice.objects.update(status='sent')\n")
    try:
        assert [line.split(": ", 1)[1] for line in writes(sample)] == [
            "run.status = 'confirmed'", "Notice.objects.update(status='sent')"]
    finally:
        sample.unlink()
