"""schema.org Product data: stars as award/additionalProperty, never aggregateRating."""
import json

from catalog.jsonld import product_jsonld


def test_full_product():
    data = product_jsonld(name="Chè Shan tuyết", url="https://x/san-pham/che-1", description="Chè cổ thụ",
                          images=["https://x/anh/a/1200.webp"], sku="CHE-1", brand="HTX Gia Phú", price_vnd=450000,
                          availability="seasonal", stars=5, certificate_year=2024, category="Chè (trà)",
                          weight_g=200, province="Lào Cai", seller_url="https://x/co-so/htx-1")
    assert data["offers"] == {"@type": "Offer", "price": "450000", "priceCurrency": "VND",
                              "availability": "https://schema.org/PreOrder", "url": "https://x/san-pham/che-1",
                              "itemCondition": "https://schema.org/NewCondition",
                              "seller": {"@type": "Organization", "name": "HTX Gia Phú",
                                         "url": "https://x/co-so/htx-1"}}
    assert data["award"] == "OCOP 5 sao (2024)"
    assert data["additionalProperty"][0] == {"@type": "PropertyValue", "name": "Xếp hạng OCOP", "value": "5 sao"}
    assert data["weight"] == {"@type": "QuantitativeValue", "value": 200, "unitCode": "GRM"}
    assert "aggregateRating" not in json.dumps(data) and "review" not in data


def test_minimal_product_has_no_empty_fields():
    data = product_jsonld(name="Bún khô", url="https://x/p")
    assert set(data) == {"@context", "@type", "name", "url", "countryOfOrigin"}
