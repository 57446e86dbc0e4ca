"""The settlement app's statuses change only through ``portal.state`` (the portal-wide check of
``tests/portal/test_state_writes.py``, applied to this app)."""

from pathlib import Path

from tests.portal.test_state_writes import ROOT, writes


def test_no_settlement_status_is_written_outside_the_state_machine():
    found = [line for path in sorted(Path(ROOT, "settlement").rglob("*.py"))
             if "migrations" not in path.parts for line in writes(path)]
    assert found == []
