"""The pure parts of the catalogue stay pure: importing the exporters (which the command line,
the background export job and the bench all use) loads no web layer and no Flask at all, and a
domain package's root names its terms without pulling in its views (issue 12, "Must show")."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _modules_after(statement: str) -> list[str]:
    """The modules a fresh interpreter holds after `statement`."""
    code = f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": ROOT})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _web_modules(modules):
    return [name for name in modules
            if name.split(".")[0] in ("flask", "flask_babel", "flask_wtf", "flask_sqlalchemy", "werkzeug",
                                      "wtforms", "jinja2")
            or ".views" in name and not name.startswith("openpyxl.") or name.endswith("routes")]


def test_exporters_load_no_flask_and_no_views():
    modules = _modules_after("import catalog.exporters")
    assert _web_modules(modules) == []
    assert "catalog.exporters" in modules
    assert "openpyxl" not in modules  # only filling a seller's Shopee template needs it


def test_catalog_and_search_roots_load_no_views():
    for statement in ("import catalog", "import search", "import catalog.constants", "import catalog.rules",
                      "import search.engine", "import search.plan"):
        assert _web_modules(_modules_after(statement)) == [], statement


def test_only_the_factory_loads_the_web_layer():
    modules = _modules_after("import catalog, catalog.exporters, search, search.engine")
    assert not [name for name in modules if name.startswith(("catalog.views", "search.views"))]
    modules = _modules_after("from app import create_app\ncreate_app({'TESTING': True})")
    assert "catalog.views.pages" in modules and "search.views.pages" in modules
