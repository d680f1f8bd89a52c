"""Spreadsheet import speed: a 10,000-row OCOP list (about 500 producers in many provinces)
imported into a fresh SQLite database through the same service as `flask catalog import`,
report included; then the same file again (everything unchanged).

    .venv/bin/python bench/bench_import.py [--rows 10000] [--producers 500] [--keep DIR]

Target (issue 3): a 10,000-row sheet imports, report included, in under a minute.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from stdnum.vn import mst  # noqa: E402

from accounts.phones import display_phone  # noqa: E402
from bench.gen_products import generate_products  # noqa: E402
from catalog.importer.apply import ImportOptions, import_file  # noqa: E402
from catalog.importer.columns import FIELDS  # noqa: E402

TARGET_SECONDS = 60


def sheet_rows(count: int, producers: int):
    """Rows as an officer's spreadsheet holds them: Vietnamese words and dates, grouped prices."""
    for item in generate_products(count, seed=1, producers=producers):
        seasonal = item["availability"] == "seasonal"
        availability = {"in_stock": "còn hàng", "out_of_stock": "hết hàng"}.get(
            item["availability"], f"theo mùa: {item['season_months']}" if seasonal else "")
        yield {
            "ref": item["ref"], "name": item["name"], "description": item["description"],
            "category": item["category"], "stars": item["stars"], "price_vnd": item["price_vnd"],
            "unit": item["unit"], "producer_name": item["producer_name"],
            "producer_type": {"cooperative": "Hợp tác xã", "cooperative_group": "Tổ hợp tác",
                              "household": "Hộ kinh doanh", "enterprise": "Doanh nghiệp"}[item["producer_type"]],
            "province": item["province"], "commune": item["commune"], "weight_g": item["weight_g"],
            "certificate_no": item["certificate_no"], "certificate_date": item["certificate_date"],
            "availability": availability, "phone": display_phone(item["phone"]),
            "tax_code": _valid_tax_code(item["tax_code"]) if item["producer_type"] != "household" else "",
            "images": "",
        }


def _valid_tax_code(seed_digits: str) -> str:
    """A 10-digit MST with a correct check digit, made from the generator's random digits."""
    base = int(seed_digits[:9])
    while True:
        digits = f"{base:09d}"
        check = mst.calc_check_digit(digits)
        if len(check) == 1 and digits[2:9] != "0000000":
            return digits + check
        base = (base + 1) % 10**9


def write_xlsx(path: Path, rows) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách OCOP")
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP (dữ liệu mẫu cho bench)"])
    sheet.append(list(FIELDS))
    for row in rows:
        sheet.append([row.get(name) if row.get(name) != "" else None for name in FIELDS])
    workbook.save(path)


def write_csv(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(FIELDS)
        for row in rows:
            cells = dict(row)
            if cells["certificate_date"]:
                cells["certificate_date"] = cells["certificate_date"].strftime("%d/%m/%Y")
            if cells["price_vnd"] is not None:
                cells["price_vnd"] = f"{cells['price_vnd']:,}".replace(",", ".")
            writer.writerow(["" if cells.get(name) is None else cells[name] for name in FIELDS])


def fresh_app(folder: Path):
    from app import create_app
    from extensions import db

    folder.mkdir(parents=True, exist_ok=True)
    app = create_app({"TESTING": True, "SECRET_KEY": "bench-" + "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
                      "UPLOAD_DIR": str(folder / "uploads"), "SEARCH_INDEX_DIR": str(folder / "index")})
    with app.app_context():
        db.create_all()
    return app


def timed_import(app, path: Path, **options):
    """Import and render the whole report in Vietnamese, as the command line prints it."""
    from flask_babel import force_locale

    from catalog.importer.texts import issue_message, where
    from media.storage import ImageStore

    with app.app_context(), force_locale("vi"):
        started = time.perf_counter()
        report = import_file(path, ImportOptions(source_name=path.name, **options),
                             ImageStore(app.config["UPLOAD_DIR"]), photo_dir=path.parent)
        lines = [f"{where(issue)}: {issue_message(issue)}" for issue in report.issues]
        seconds = time.perf_counter() - started
    if report.file_error is not None:
        raise SystemExit(f"file refused: {report.file_error}")
    return report, seconds, len(lines)


def show(label: str, report, seconds: float, lines: int) -> None:
    rate = report.rows_read / seconds if seconds else float("inf")
    summary = report.summary()
    print(f"{label:<28} {seconds:7.2f} s  {rate:8.0f} rows/s   created {summary['products_created']:>5}  "
          f"updated {summary['products_updated']:>5}  unchanged {summary['products_unchanged']:>5}  "
          f"producers +{summary['producers_created']}  refused {summary['rows_refused']}  "
          f"warnings {summary['warnings']} ({lines} report lines)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--producers", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="keep the generated files and databases in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        rows = list(sheet_rows(args.rows, args.producers))
        xlsx_path, csv_path = folder / "ocop.xlsx", folder / "ocop.csv"
        write_xlsx(xlsx_path, rows)
        write_csv(csv_path, rows)
        provinces = len({row["province"] for row in rows})
        producers = len({(row["producer_name"], row["province"]) for row in rows})
        print(f"generated {len(rows)} rows, {producers} producers in {provinces} provinces in "
              f"{time.perf_counter() - started:.1f} s (XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB, "
              f"CSV {csv_path.stat().st_size / 1e6:.1f} MB)")
        worst = 0.0
        for name, path in (("XLSX", xlsx_path), ("CSV", csv_path)):
            app = fresh_app(folder / f"db-{name.lower()}")
            dry = timed_import(app, path, dry_run=True)
            show(f"{name} dry run (empty DB)", *dry)
            first = timed_import(app, path)
            show(f"{name} import (empty DB)", *first)
            again = timed_import(app, path)
            show(f"{name} re-import", *again)
            if again[0].changed_anything:
                print("  !! re-import changed something")
                return 1
            worst = max(worst, first[1], again[1])
        verdict = "within" if worst < TARGET_SECONDS else "OVER"
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"slowest import {worst:.1f} s: {verdict} the {TARGET_SECONDS} s target "
              f"({os.cpu_count()} CPUs, load average {load})")
        return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
