"""schema.org Product JSON-LD for a product page. Pure, no Flask.

OCOP stars are a government quality rating, not buyers' reviews: they go into `award` and
`additionalProperty`, never `aggregateRating` (docs/EXPORTS.md §1.6, §5). Prices are whole đồng
written as a plain number with priceCurrency VND. Templates embed the result with `|tojson`,
which escapes `<`, `>` and `&`, so text containing `</script>` cannot end the block.
"""
from __future__ import annotations

AVAILABILITY_URLS = {
    "in_stock": "https://schema.org/InStock",
    "out_of_stock": "https://schema.org/OutOfStock",
    "seasonal": "https://schema.org/PreOrder",
}


def product_jsonld(*, name, url, description="", images=(), sku=None, brand=None, price_vnd=None,
                   availability="in_stock", stars=None, certificate_year=None, category=None,
                   weight_g=None, province=None, seller_url=None) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "url": url,
    }
    if description:
        data["description"] = description
    if images:
        data["image"] = list(images)
    if sku:
        data["sku"] = sku
    if brand:
        data["brand"] = {"@type": "Brand", "name": brand}
    if category:
        data["category"] = category
    if weight_g:
        data["weight"] = {"@type": "QuantitativeValue", "value": weight_g, "unitCode": "GRM"}
    data["countryOfOrigin"] = {"@type": "Country", "name": "VN"}
    properties = []
    if stars:
        year = f" ({certificate_year})" if certificate_year else ""
        data["award"] = f"OCOP {stars} sao{year}"
        properties.append({"@type": "PropertyValue", "name": "Xếp hạng OCOP", "value": f"{stars} sao"})
    if province:
        properties.append({"@type": "PropertyValue", "name": "Tỉnh", "value": province})
    if properties:
        data["additionalProperty"] = properties
    if price_vnd:
        offer = {
            "@type": "Offer",
            "price": str(int(price_vnd)),
            "priceCurrency": "VND",
            "availability": AVAILABILITY_URLS.get(availability, AVAILABILITY_URLS["in_stock"]),
            "url": url,
            "itemCondition": "https://schema.org/NewCondition",
        }
        if brand:
            offer["seller"] = {"@type": "Organization", "name": brand, **({"url": seller_url} if seller_url else {})}
        data["offers"] = offer
    return data
