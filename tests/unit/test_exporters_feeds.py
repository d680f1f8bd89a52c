"""Google Merchant Center (XML, TSV) and Meta (CSV) feeds, read back independently."""
import csv
import io
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from lxml import etree

from catalog.exporters import EXPORTERS
from catalog.exporters.samples import generate_listings, sample_listing

G = "{http://base.google.com/ns/1.0}"
JUNE = date(2025, 6, 15)
GOOGLE_REQUIRED = ("id", "title", "description", "link", "image_link", "availability", "price", "brand")


def listing(number=1, **changes):
    return replace(sample_listing(number), **changes)


def export(format_name, listings, **options):
    out = io.BytesIO()
    report = EXPORTERS[format_name].write(listings, out, **options)
    return out.getvalue(), report


def google_items(data):
    root = etree.fromstring(data)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = []
    for item in root.find("channel").findall("item"):
        values = {}
        for child in item:
            key = child.tag.replace(G, "")
            values.setdefault(key, []).append(child.text)
        items.append(values)
    return items


def tsv_rows(data):
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff")
    # Google's "quoted fields": a value in double quotes, each quote inside doubled.
    return list(csv.DictReader(io.StringIO(text), delimiter="\t", doublequote=True))


def meta_rows(data):
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_google_xml_items_carry_every_required_attribute():
    data, report = export("google-xml", generate_listings(12), today=JUNE, channel_link="https://choque.vn/")
    items = google_items(data)
    assert report.exported == len(items) == 12 and report.skipped == []
    for item in items:
        for attribute in GOOGLE_REQUIRED:
            assert item[attribute][0], attribute
        assert item["condition"] == ["new"]
        assert item["identifier_exists"] == ["no"]
        assert item["availability"][0] in ("in_stock", "out_of_stock")
        assert item["price"][0].endswith(" VND") and item["price"][0][:-4].isdigit()
        assert item["link"][0].startswith("https://")


def test_google_xml_values_match_the_listing():
    first = listing(1)
    item = google_items(export("google-xml", [first], today=JUNE)[0])[0]
    assert item["id"] == ["OCOP-000001"]
    assert item["title"] == [first.name]
    assert item["description"] == [first.description]
    assert item["brand"] == [first.producer_name]
    assert item["price"] == [f"{first.price_vnd} VND"]
    assert item["image_link"] == [first.image_urls[0]]
    assert item["additional_image_link"] == list(first.image_urls[1:])
    assert item["google_product_category"] == ["422"]
    assert item["custom_label_0"] == ["ocop-4-sao"]
    assert item["custom_label_1"] == ["khanh-hoa"]
    assert item["shipping_weight"] == ["1400 g"]
    assert item["product_type"] == [f"OCOP > {first.category_name}"]


def test_google_xml_escapes_markup_in_text():
    tricky = listing(1, name="Mắm <tôm> & chanh \"ớt\"", description="A < B & C > D")
    data, _ = export("google-xml", [tricky], today=JUNE)
    item = google_items(data)[0]
    assert item["title"] == ["Mắm <tôm> & chanh \"ớt\""]
    assert item["description"] == ["A < B & C > D"]


def test_expired_certificate_gives_no_star_label():
    data, _ = export("google-xml", [listing(1, stars=None)], today=JUNE)
    assert "custom_label_0" not in google_items(data)[0]


def test_seasonal_availability_follows_today():
    lychee = listing(1, availability="seasonal", seasonal_months=(5, 6))
    in_june = google_items(export("google-xml", [lychee], today=JUNE)[0])[0]
    in_july = google_items(export("google-xml", [lychee], today=date(2025, 7, 1))[0])[0]
    assert in_june["availability"] == ["in_stock"] and in_july["availability"] == ["out_of_stock"]
    meta = meta_rows(export("meta-csv", [lychee], today=JUNE)[0])[0]
    assert meta["availability"] == "in stock"


def test_decomposed_title_is_measured_after_nfc():
    title = ("Nước mắm cá cơm Phú Quốc thượng hạng " * 5)[:148].strip()
    decomposed = unicodedata.normalize("NFD", title)
    assert len(title) <= 150 < len(decomposed)
    data, report = export("google-xml", [listing(1, name=decomposed)], today=JUNE)
    assert google_items(data)[0]["title"] == [title]
    assert report.warnings == []


def test_long_title_is_cut_at_a_word_and_noted():
    long_title = "Trà Shan Tuyết cổ thụ " * 10
    data, report = export("google-xml", [listing(1, name=long_title)], today=JUNE)
    title = google_items(data)[0]["title"][0]
    assert len(title) <= 150 and title.endswith("…") and long_title.startswith(title[:-1])
    [issue] = report.warnings
    assert issue.listing_id == "OCOP-000001"
    assert [p.code for p in issue.problems] == ["title_truncated"]


def test_long_description_is_cut_to_5000():
    data, report = export("meta-csv", [listing(1, description="Mật ong rừng. " * 600)], today=JUNE)
    row = meta_rows(data)[0]
    assert len(row["description"]) <= 5000 and row["description"].endswith("…")
    assert report.warnings[0].problems[0].code == "description_truncated"


def test_non_ascii_image_file_name_is_percent_encoded_everywhere():
    photo = listing(1, image_urls=("https://choque.vn/media/mật-ong rừng.jpg",))
    item = google_items(export("google-xml", [photo], today=JUNE)[0])[0]
    assert item["image_link"] == ["https://choque.vn/media/m%E1%BA%ADt-ong%20r%E1%BB%ABng.jpg"]
    assert tsv_rows(export("google-tsv", [photo], today=JUNE)[0])[0]["image_link"].isascii()
    assert meta_rows(export("meta-csv", [photo], today=JUNE)[0])[0]["image_link"].isascii()


def test_missing_price_is_left_out_and_reported():
    listings = [listing(1), listing(2, price_vnd=None), listing(3)]
    for format_name in ("google-xml", "google-tsv", "meta-csv"):
        data, report = export(format_name, listings, today=JUNE)
        assert report.exported == 2 and report.skipped_count == 1
        [skipped] = report.skipped
        assert skipped.listing_id == "OCOP-000002"
        assert [p.code for p in skipped.problems] == ["price_missing"]
        assert b"OCOP-000002" not in data


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"description": ""}, "description_missing"),
        ({"producer_name": ""}, "brand_missing"),
        ({"url": "/san-pham/x"}, "link_invalid"),
        ({"image_urls": ()}, "image_missing"),
        ({"image_urls": ("ftp://choque.vn/x.jpg",)}, "image_url_invalid"),
        ({"image_urls": ("https://choque.vn/x.heic",)}, "image_type_unsupported"),
        ({"id": "OCOP 1"}, "id_invalid"),
        ({"id": "Ô-1"}, "id_invalid"),
        ({"id": "X" * 51}, "id_invalid"),
        ({"category_code": 26}, "service_not_product"),
    ],
)
def test_google_requirements(changes, code):
    problems = EXPORTERS["google-xml"].validate(listing(1, **changes))
    assert code in [p.code for p in problems]


def test_meta_takes_jpeg_and_png_only_and_longer_ids():
    meta = EXPORTERS["meta-csv"]
    webp = listing(1, image_urls=("https://choque.vn/media/1-1200.webp",))
    assert [p.code for p in meta.validate(webp)] == ["image_type_unsupported"]
    assert EXPORTERS["google-xml"].validate(webp) == []
    assert meta.validate(listing(1, id="X" * 100)) == []


def test_extra_images_are_capped_and_bad_ones_dropped():
    urls = tuple(f"https://choque.vn/media/{n}.jpg" for n in range(14)) + ("mailto:x@y.vn",)
    data, report = export("google-xml", [listing(1, image_urls=urls)], today=JUNE)
    item = google_items(data)[0]
    assert len(item["additional_image_link"]) == 10
    codes = [p.code for p in report.warnings[0].problems]
    assert codes == ["image_dropped", "images_limited"]


def test_meta_extra_image_list_stays_under_2000_characters():
    urls = tuple(f"https://choque.vn/media/{'x' * 150}-{n}.jpg" for n in range(21))
    data, report = export("meta-csv", [listing(1, image_urls=urls)], today=JUNE)
    extra = meta_rows(data)[0]["additional_image_link"]
    assert 0 < len(extra) <= 2000 and len(extra.split(",")) == 11
    assert "images_limited" in [p.code for p in report.warnings[0].problems]


def test_google_tsv_has_header_and_flat_values_quoted_as_google_reads_them():
    """Google Merchant Center Help, "Quoted attributes" (support.google.com/merchants/answer/14998273):
    a value in double quotes is one attribute, and a quote inside it is written twice."""
    tricky = listing(1, name='Trà "Shan Tuyết"\tcổ thụ', description="Dòng 1\nDòng 2\tcột")
    data, report = export("google-tsv", [tricky, listing(2)], today=JUNE)
    text = data.decode("utf-8")
    lines = text.split("\n")
    assert lines[0].split("\t")[:4] == ["id", "title", "description", "link"]
    assert len(lines) == 4 and lines[-1] == ""  # header, two products, final newline
    assert all(line.count("\t") == 16 for line in lines[:-1])
    assert '\t"Trà ""Shan Tuyết"" cổ thụ"\t' in lines[1]
    assert "\tDòng 1 Dòng 2 cột\t" in lines[1]  # no quote inside: written as it is
    row = tsv_rows(data)[0]
    assert row["title"] == 'Trà "Shan Tuyết" cổ thụ'
    assert row["description"] == "Dòng 1 Dòng 2 cột"
    for attribute in GOOGLE_REQUIRED:
        assert row[attribute]
    assert row["additional_image_link"] == ",".join(tricky.image_urls[1:])


def test_meta_csv_columns_and_values():
    first = listing(1)
    data, _ = export("meta-csv", [first], today=JUNE)
    assert data.startswith(b'"id","title","description","availability","condition","price"')
    row = meta_rows(data)[0]
    assert row["id"] == "OCOP-000001"
    assert row["description"] == first.description  # line breaks kept inside quotes
    assert row["availability"] in ("in stock", "out of stock")
    assert row["price"] == f"{first.price_vnd} VND"
    assert row["brand"] == first.producer_name
    assert row["condition"] == "new"
    assert row["google_product_category"] == "422"
    assert row["custom_label_0"] == "ocop-4-sao" and row["custom_label_1"] == "khanh-hoa"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","Bấm")', "-Chè Shan tuyết cổ thụ",
                                  "+84 Mật ong rừng", "@Cà phê Robusta rang mộc"])
def test_machine_read_feeds_keep_the_text_as_it_is(name):
    evil = listing(1, name=name)
    assert tsv_rows(export("google-tsv", [evil], today=JUNE)[0])[0]["title"] == name
    assert meta_rows(export("meta-csv", [evil], today=JUNE)[0])[0]["title"] == name
    assert google_items(export("google-xml", [evil], today=JUNE)[0])[0]["title"][0] == name


def test_prices_never_use_a_thousands_separator():
    for format_name in ("google-xml", "google-tsv", "meta-csv"):
        data, report = export(format_name, [listing(1, price_vnd=185000), listing(2, price_vnd=1_250_000)], today=JUNE)
        assert report.exported == 2
        assert b"185000 VND" in data and b"1250000 VND" in data
        assert b"185.000" not in data and b"185,000" not in data and "₫".encode() not in data


def test_empty_export_is_still_a_valid_feed():
    assert google_items(export("google-xml", [], today=JUNE)[0]) == []
    assert tsv_rows(export("google-tsv", [], today=JUNE)[0]) == []
    assert meta_rows(export("meta-csv", [], today=JUNE)[0]) == []


def test_write_leaves_the_output_stream_open():
    out = io.BytesIO()
    EXPORTERS["google-xml"].write([listing(1)], out, today=JUNE)
    assert not out.closed
    out.write(b"<!-- still writable -->")
