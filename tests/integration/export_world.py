"""A small catalogue for the export and feed tests, built through the models with real photo
files, plus parsers for every export format (independent of the exporters: lxml, csv, openpyxl,
json)."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import openpyxl
from lxml import etree

from accounts.models import Role
from catalog.models import ProductPhoto, ProductStatus
from extensions import db
from media.images import process_upload
from media.storage import ImageStore
from producers.models import ProducerStatus
from tests.integration.catalog_world import add_certificate, add_product, jpeg, make_producer

G = "{http://base.google.com/ns/1.0}"
FORMULA_NAME = '=HYPERLINK("http://evil.example/x","Mật ong rừng U Minh")'
# 160 characters in NFC (over Google's and Meta's 150), 196 in NFD (the column holds 200).
LONG_NFC_TITLE = ("Mật ong hoa nhãn Yên Hòa nguyên chất loại đặc biệt thu hoạch vụ xuân " * 3)[:160].strip()
LONG_NFD_TITLE = unicodedata.normalize("NFD", LONG_NFC_TITLE)


def listing_id(product_id: int) -> str:
    return f"OCOP-{product_id:06d}"


@dataclass
class World:
    producer_phone: str = ""
    other_producer_phone: str = ""
    officer_phone: str = ""
    admin_phone: str = ""
    products: dict[str, int] = field(default_factory=dict)
    producers: dict[str, int] = field(default_factory=dict)
    photo_keys: list[str] = field(default_factory=list)

    def ids(self, *names) -> set[str]:
        return {listing_id(self.products[name]) for name in names}


@lru_cache(maxsize=1)
def processed_photo():
    """One phone photo, re-encoded once per test run (every product shares its pixels)."""
    return process_upload(jpeg((1600, 1200)))


def store_photo(app, product_id: int, position: int = 0) -> str:
    with app.app_context():
        key = ImageStore(app.config["UPLOAD_DIR"]).save(processed_photo())
        db.session.add(ProductPhoto(product_id=product_id, image_key=key, position=position, width=1600,
                                    height=1200))
        db.session.commit()
        return key


def build_world(app, make_user) -> World:
    """Producer A (Ninh Bình, Yên Mô, owned by the producer user) with good, draft, hidden,
    price-less, formula-named and long-NFD-titled products; producer B (another commune, owned by
    another user); C in A's commune but only submitted; D suspended. The officer looks after
    Yên Mô only."""
    world = World()
    owner_id, world.producer_phone = make_user(role=Role.PRODUCER)
    other_id, world.other_producer_phone = make_user(role=Role.PRODUCER)
    from places import units

    yen_mo = units.match_commune(units.match_province("Ninh Bình").code, "Yên Mô").code
    _, world.officer_phone = make_user(role=Role.OFFICER, communes=(yen_mo,))
    _, world.admin_phone = make_user(role=Role.ADMIN)

    a = world.producers["a"] = make_producer(app, owner_id)
    b = world.producers["b"] = make_producer(app, other_id, name="HTX Chè Tân Cương", province="Thái Nguyên",
                                             commune="Tân Cương", phone="+84911000002")
    c = world.producers["c"] = make_producer(app, None, name="Hộ kinh doanh Lò Văn Sáng",
                                             status=ProducerStatus.SUBMITTED, phone="+84911000003")
    d = world.producers["d"] = make_producer(app, None, name="HTX Bị Đình Chỉ", status=ProducerStatus.SUSPENDED,
                                             phone="+84911000004")
    valid = add_certificate(app, a, stars=4, decision_date=date.today() - timedelta(days=200))
    expired = add_certificate(app, a, stars=5, decision_date=date.today() - timedelta(days=40 * 31),
                              number="12/QĐ-UBND")
    products = world.products
    products["good"] = add_product(app, a, name="Mật ong hoa nhãn", ref="MO-500", price=185_000, set_code=4,
                                   certificate_id=valid, weight_g=700, availability="seasonal", season_months="5,6,7")
    products["expired"] = add_product(app, a, name="Cá chạch sấy khô Yên Hòa", ref="CC-1", certificate_id=expired,
                                      weight_g=250)
    products["draft"] = add_product(app, a, name="Nháp", ref="NH-1", status=ProductStatus.DRAFT)
    products["hidden"] = add_product(app, a, name="Đã ẩn", ref="AN-1", status=ProductStatus.HIDDEN)
    products["no_price"] = add_product(app, a, name="Tương bần Yên Mô", ref="TB-1", price=None, weight_g=650,
                                       set_code=9)
    products["formula"] = add_product(app, a, name=FORMULA_NAME, ref="F-1", weight_g=700, set_code=4)
    products["long"] = add_product(app, a, name=LONG_NFD_TITLE, ref="DAI-1", weight_g=700, set_code=4)
    products["other"] = add_product(app, b, name="Chè Tân Cương móc câu", ref="CHE-1", price=250_000, set_code=11,
                                    weight_g=260)
    products["unverified"] = add_product(app, c, name="Gạo Séng Cù", ref="GAO-5", price=90_000, set_code=3,
                                         weight_g=5000)
    products["suspended"] = add_product(app, d, name="Nước mắm nhĩ", ref="NM-1", price=120_000, set_code=9,
                                        weight_g=650)
    for name in ("good", "expired", "no_price", "formula", "long", "other", "unverified", "suspended"):
        world.photo_keys.append(store_photo(app, products[name]))
    world.photo_keys.append(store_photo(app, products["good"], position=1))
    return world


# --- independent parsers -----------------------------------------------------------------------

def parse_google_xml(data: bytes) -> dict[str, dict]:
    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap.get("g") == G.strip("{}")
    items = {}
    for item in root.iter("item"):
        values = {}
        for child in item:
            name = etree.QName(child).localname
            if name == "additional_image_link":
                values.setdefault(name, []).append(child.text)
            else:
                values[name] = child.text
        items[values["id"]] = values
    return items


def parse_tsv(data: bytes) -> dict[str, dict]:
    assert not data.startswith(b"\xef\xbb\xbf")
    # Google's "quoted fields": a value in double quotes, each quote inside doubled.
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8")), delimiter="\t", doublequote=True))
    return {row["id"]: row for row in rows}


def parse_meta_csv(data: bytes) -> dict[str, dict]:
    assert not data.startswith(b"\xef\xbb\xbf")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(data.decode("utf-8")))}


def parse_own_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def parse_json(data: bytes) -> list[dict]:
    return json.loads(data.decode("utf-8"))


def parse_xlsx(data: bytes, header: str) -> tuple[list[str], list[dict], object]:
    """(headers, rows as dicts, worksheet) of the sheet whose header row holds `header`.

    A row of Shopee keys (``ps_product_name|1|0``) or TikTok keys (``product_name``) is read by
    key, and products start six rows below it, after the names and instructions (the layout of
    both marketplaces' templates); Lazada's sheet has one header row of names."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            headers = [str(value).split("|")[0] if isinstance(value, str) else value for value in row]
            if header in headers:
                keyed = any(isinstance(value, str) and "|" in value for value in row) or "product_name" in headers
                rows = [dict(zip(headers, values))
                        for values in sheet.iter_rows(min_row=row_number + (6 if keyed else 1), values_only=True)
                        if any(value not in (None, "") for value in values)]
                return headers, rows, sheet
    raise AssertionError(f"no header row with {header!r}")


XLSX_KEYS = {"shopee-xlsx": ("ps_sku_parent_short", "ps_product_name"),
             "tiktok-xlsx": ("seller_sku", "product_name"), "lazada-xlsx": ("SellerSKU", "*Product Name")}


def parsed_ids(format_name: str, data: bytes) -> set[str]:
    """The listing ids (or refs for our own formats) in an export."""
    if format_name == "google-xml":
        return set(parse_google_xml(data))
    if format_name == "google-tsv":
        return set(parse_tsv(data))
    if format_name == "meta-csv":
        return set(parse_meta_csv(data))
    if format_name == "csv":
        return {row["ref"] for row in parse_own_csv(data)}
    if format_name == "json":
        return {row["ref"] for row in parse_json(data)}
    if format_name == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {row["ref"] for row in parse_own_csv(archive.read("choque.csv"))}
    key, _ = XLSX_KEYS[format_name]
    return {row[key] for row in parse_xlsx(data, key)[1]}
