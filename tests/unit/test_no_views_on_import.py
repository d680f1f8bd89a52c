"""Importing a domain's rules, models or services loads no web layer: package roots hold only their
description, and only create_app imports `<domain>.views` (docs/ARCHITECTURE.md). lint-imports
reads import statements; this checks what Python actually loads, package roots included."""
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("core", "places", "media", "notifications", "accounts", "jobs", "producers", "catalog", "payments",
           "search", "verification", "reconcile", "reports", "backup", "demo")
# Imports each module in turn in a fresh interpreter; reports the view modules each one brought in.
PROBE = """
import importlib, json, sys
roots = set(sys.argv[2].split(","))
def views():
    return {name for name in sys.modules if name.split(".")[0] in roots and ".views" in name}
found = {}
for module in sys.argv[1].split(","):
    before = views()
    importlib.import_module(module)
    if views() - before:
        found[module] = sorted(views() - before)
print(json.dumps(found))
"""


def non_view_modules():
    for domain in DOMAINS:
        yield domain
        for module in pkgutil.iter_modules([str(ROOT / domain)]):
            if module.name not in ("views", "cli"):
                yield f"{domain}.{module.name}"


def test_importing_any_domain_module_loads_no_view():
    modules = list(non_view_modules())
    assert "payments.vietqr" in modules and "reconcile.services" in modules
    result = subprocess.run([sys.executable, "-c", PROBE, ",".join(modules), ",".join(DOMAINS)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(result.stdout) == {}


def test_the_probe_sees_a_view_loaded_on_import():
    result = subprocess.run([sys.executable, "-c", PROBE, "payments.views", "payments"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=True)
    assert "payments.views.buyers" in json.loads(result.stdout)["payments.views"]
