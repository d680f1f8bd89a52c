"""The layers are enforced by the build: `lint-imports` (run by `make lint`, which `make test` runs
first) fails when a module imports upwards. Checked on a copy of the code with a cycle added on
purpose: the clock (core, the bottom layer) importing the payments pages."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_CODE = shutil.ignore_patterns(".*", "__pycache__", "instance", "tests", "static", "templates", "translations",
                                  "migrations", "bench", "docs", "tools", "node_modules", "*.mo", "*.po")


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("lint-imports")
    environment = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run([str(command), "--no-cache"], cwd=folder, env=environment, capture_output=True, text=True,
                          timeout=120)


def test_a_new_upward_import_breaks_the_build(tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(ROOT, copy, ignore=NOT_CODE)
    before = lint_imports(copy)
    assert "core.clock" not in before.stdout

    clock = copy / "core" / "clock.py"
    clock.write_text(clock.read_text(encoding="utf-8") + "\nimport payments.views  # noqa: E402,F401\n",
                     encoding="utf-8")
    after = lint_imports(copy)

    assert after.returncode != 0, after.stdout
    assert "core is not allowed to import payments" in after.stdout
    assert "core.clock -> payments.views" in after.stdout
    assert "Domains depend only on the layers below them BROKEN" in after.stdout
