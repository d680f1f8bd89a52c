"""The report's sections in the reader's language, shared by the page, the XLSX and the PDF."""
from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import get_locale

from core.i18n import format_day
from producers.constants import ProducerStatus
from producers.ocop import product_sets
from reports.charts import bar_chart
from reports.documents import Section
from reports.constants import AreaKind, PeriodKind

STOCK_LABELS = {
    "producers_verified": _l("Verified producers"),
    "products_public": _l("Products on sale"),
    "products_certified": _l("Products with a valid OCOP certificate"),
    "products_online": _l("Certified products on sale with a price and a photo"),
}


MARKETPLACE_LABELS = {"google": _l("Google (Merchant Center feed)"), "meta": _l("Facebook and Instagram (Meta)"),
                      "shopee": "Shopee", "tiktok": "TikTok Shop", "lazada": "Lazada"}


def period_label(period) -> str:
    if period.kind == PeriodKind.MONTH:
        return _("Month %(month)s/%(year)s", month=period.start.month, year=period.start.year)
    if period.kind == PeriodKind.QUARTER:
        return _("Quarter %(quarter)s/%(year)s", quarter=period.number, year=period.start.year)
    return _("Year %(year)s", year=period.start.year)


def area_label(area) -> str:
    if area.kind == AreaKind.COUNTRY:
        return _("Whole country")
    return area.label


def _number(value):
    return "—" if value is None else format_decimal(value)


def _change(trend):
    if trend is None or trend.previous is None or trend.current is None:
        return "—"
    change = trend.current - trend.previous
    return ("+" if change > 0 else "") + format_decimal(round(change, 1))


def _groups():
    locale = str(get_locale())
    names = {}
    for item in product_sets():
        names.setdefault(item.group_code, item.group(locale))
    return names


def build(figures) -> list:
    groups = _groups()
    previous = period_label(figures.period.previous())
    sections = []
    stock = [(str(STOCK_LABELS[name]), trend.current, trend.previous, _change(trend))
             for name, trend in figures.stock_trends.items()]
    share = figures.online_share
    sections.append(Section(
        "online", _("On e-commerce"), (_("Figure"), _("Now"), _("End of %(period)s", period=previous), _("Change")),
        stock, note=_("%(share)s%% of certified products are on sale with a price and a photo.",
                      share=format_decimal(share)) if share is not None else _("No certified products yet.")))
    exported = [(str(MARKETPLACE_LABELS.get(name, name)), trend.current, trend.previous, _change(trend))
                for name, trend in figures.exported.items()]
    sections.append(Section(
        "exports", _("Products exported to each marketplace or feed"),
        (_("Marketplace or feed"), _("Products"), _("End of %(period)s", period=previous), _("Change")), exported,
        chart=[(label, current) for label, current, _before, _change_text in exported],
        note=_("Each product counts once per marketplace, from the first export or feed that carried it.")))
    flows = [(_("Orders"), figures.orders), (_("Paid orders"), figures.paid_orders),
             (_("Money received (đồng)"), figures.paid_amount),
             (_("Median days from submission to decision"), figures.verification_days)]
    sections.append(Section(
        "flows", _("Orders and verification"),
        (_("Figure"), period_label(figures.period), previous, _("Change")),
        [(str(label), trend.current, trend.previous, _change(trend)) for label, trend in flows]))
    status_rows = [(_(ProducerStatus(status).label), count)
                   for status, count in figures.producers_by_status.items()]
    sections.append(Section("producers", _("Producers by status"), (_("Status"), _("Producers")),
                            status_rows, chart=status_rows))
    group_rows = [(groups.get(code, _("No product set yet")), count)
                  for code, count in sorted(figures.products_by_group.items()) if count]
    sections.append(Section("groups", _("Products on sale by OCOP group"), (_("Group"), _("Products")),
                            group_rows, chart=group_rows))
    star_rows = [(_("%(stars)s stars", stars=stars) if stars else _("No valid certificate"), count)
                 for stars, count in sorted(figures.products_by_stars.items(), reverse=True)]
    sections.append(Section("stars", _("Products on sale by OCOP stars"), (_("Stars"), _("Products")),
                            star_rows, chart=star_rows))
    sections.append(Section("helpers", _("Producers onboarded by helpers"), (_("Helper"), _("Producers")),
                            list(figures.onboarded_by_helper), chart=list(figures.onboarded_by_helper) or None,
                            note="" if figures.onboarded_by_helper else _("None in this period.")))
    expiring = [(item.producer_name, item.product_name, item.decision_no, item.stars,
                 format_day(item.valid_until),
                 _("Already expired") if item.expired(figures.today) else _("Due"))
                for item in figures.expiring]
    sections.append(Section(
        "expiring", _("Certificates due for re-evaluation"),
        (_("Producer"), _("Product"), _("Decision"), _("Stars"), _("Valid until"), _("State")), expiring,
        note=_("%(total)s certificates expire within 90 days or have expired (%(expired)s expired).",
               total=format_decimal(figures.expiring_total), expired=format_decimal(figures.expired_total))))
    return sections


def charts(sections) -> dict:
    """Inline SVG for each section that has a chart."""
    return {section.key: bar_chart(section.chart, section.title, chart_id=f"chart-{section.key}",
                                   format_value=_number)
            for section in sections if section.chart}
