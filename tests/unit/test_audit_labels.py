"""Every action written to the audit log has a label officers can read."""
import pathlib
import re

from verification.views.forms import AUDIT_LABELS

ROOT = pathlib.Path(__file__).resolve().parents[2]
ACTION = re.compile(r'(?:audit\.record|self\._audit)\(\s*"([a-z_.]+)"')


def test_every_recorded_action_has_a_label():
    actions = set()
    for package in ("accounts", "catalog", "core", "payments", "producers", "verification"):
        for path in (ROOT / package).rglob("*.py"):
            actions.update(ACTION.findall(path.read_text(encoding="utf-8")))
    assert actions, "no audit actions found: the pattern is out of date"
    assert sorted(actions - set(AUDIT_LABELS)) == []
