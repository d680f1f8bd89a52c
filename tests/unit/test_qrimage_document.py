"""payments.qrimage.svg_document: a standalone SVG file that decodes to the exact payload."""
import io
import xml.etree.ElementTree as ET

import resvg_py
import zxingcpp
from PIL import Image

from payments.qrimage import svg_document
from payments.rules import order_memo
from payments.vietqr import build_payload

PAYLOAD = build_payload("970436", "0123456789012", amount=240000, memo=order_memo("CQABC234", "Chè Shan tuyết").text)


def test_svg_document_is_standalone_xml_with_white_background():
    svg = svg_document(PAYLOAD)
    assert svg.startswith("<?xml")
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert 'fill="#fff"' in svg


def test_svg_document_decodes_to_exact_payload():
    png = resvg_py.svg_to_bytes(svg_string=svg_document(PAYLOAD))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [PAYLOAD]
