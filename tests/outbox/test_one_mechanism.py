"""Every email and task goes through the outbox: no app sends or queues one by itself."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {"outbox", "tests", "bench", "scripts", ".venv", "node_modules", "build"}
DIRECT = re.compile(r"\.delay\(|\.apply_async\(|\bsend_mail\(|\bsend_mass_mail\(|"
                    r"\bmail_admins\(|\bEmailMessage\(|\bEmailMultiAlternatives\(|\.send\(\)")


def test_no_app_sends_an_email_or_queues_a_task_outside_the_outbox():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIPPED or "migrations" in parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#", 1)[0]
            if DIRECT.search(code) and "def send_mail(" not in code:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
