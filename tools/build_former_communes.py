"""Write places/data/former_communes.csv: each commune of before 1 July 2025 (province,
district, commune) and the commune(s) of today it became, by name.

The data comes from the administrative tables of the `vietnam-provinces` package (release
2026.2 or later carries the pre-2025 units and the official conversion table; the project
pins 2025.10.1, which runs on Python 3.11 but has no pre-2025 data). That release needs
Python >= 3.12 to install, but its data modules are plain Python, so this script reads them
from an unpacked wheel:

    pip download vietnam-provinces==2026.2.3 --no-deps --python-version 3.12 \
        --only-binary=:all: -d /tmp/vp
    unzip -q /tmp/vp/vietnam_provinces-2026.2.3-py3-none-any.whl -d /tmp/vp/x
    python tools/build_former_communes.py /tmp/vp/x

Today's communes are written by name (with their province), not by code: the codes of a few
wards differ between the package's releases, names do not.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "places" / "data" / "former_communes.csv"


def main(unpacked: str) -> None:
    root = Path(unpacked)
    sys.path.insert(0, str(root))
    from vietnam_provinces import _ward_conversion_2025 as conversion
    from vietnam_provinces.legacy import _lookup as legacy

    today = {item["code"]: item for item in json.loads(
        (root / "vietnam_provinces" / "data" / "flat-divisions.json").read_text(encoding="utf-8"))}
    rows = []
    for old_code, entry in sorted(conversion.OLD_TO_NEW.items()):
        ward = legacy.WARD_MAPPING.get(old_code)
        if ward is None:
            continue
        district = legacy.DISTRICT_MAPPING[int(ward.district_code.value)]
        province = legacy.PROVINCE_MAPPING[int(district.province_code.value)]
        targets = [today[ref.code] for ref in entry.new_wards if ref.code in today]
        if not targets:
            continue
        rows.append({
            "former_province": province.name, "former_district": district.name, "former_commune": ward.name,
            "today_province": targets[0]["province_name"],
            "today_communes": "|".join(target["name"] for target in targets),
            "partly": "1" if entry.old_ward.is_partly_merged else "0",
        })
    with OUTPUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} former communes -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1])
