"""Report arithmetic and charts without Flask: periods, trends, medians, SVG size."""
from datetime import date, datetime

from reports.charts import bar_chart
from reports.rules import Trend, median_days, parse_period, period_containing, recent_periods, share
from reports.constants import PeriodKind

TODAY = date(2026, 12, 3)


def test_periods_and_their_predecessors():
    quarter = period_containing(PeriodKind.QUARTER, TODAY)
    assert (quarter.start, quarter.end, quarter.key) == (date(2026, 10, 1), date(2027, 1, 1), "2026-Q4")
    assert quarter.previous().key == "2026-Q3"
    assert period_containing(PeriodKind.MONTH, date(2026, 1, 15)).previous().key == "2025-12"
    assert period_containing(PeriodKind.YEAR, TODAY).previous().key == "2025"
    assert [p.key for p in recent_periods(PeriodKind.QUARTER, TODAY, 3)] == ["2026-Q4", "2026-Q3", "2026-Q2"]


def test_a_period_is_read_from_its_key_and_bad_keys_fall_back_to_now():
    assert parse_period(None, "2026-Q2", TODAY).key == "2026-Q2"
    assert parse_period(None, "2025-07", TODAY).kind == PeriodKind.MONTH
    assert parse_period(None, "2024", TODAY).kind == PeriodKind.YEAR
    for bad in ("2027-Q1", "1999-Q1", "x' OR 1=1", "", "2026-Q9"):
        assert parse_period(None, bad, TODAY).key == "2026-Q4", bad
    assert parse_period(None, "2026-13", TODAY).key == "2026-12"  # a month, but not a real one


def test_trends_medians_and_shares():
    assert Trend(5, 3).direction == "up" and Trend(2, 3).direction == "down" and Trend(1, None).direction == "none"
    day = datetime(2026, 11, 1)
    assert median_days([(day, datetime(2026, 11, 3)), (day, datetime(2026, 11, 11)), (None, day)]) == 6.0
    assert median_days([]) is None
    assert share(1, 3) == 33.3 and share(0, 0) is None


def test_charts_scale_to_their_box_and_stay_small():
    rows = [(f"Nhóm sản phẩm số {n} <b>", n * 1000) for n in range(1, 27)]
    svg = bar_chart(rows, "Sản phẩm theo bộ", chart_id="c1")
    assert svg.startswith('<svg class="chart" viewBox="0 0 320 ') and "width=" not in svg.split(">")[0]
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert len(svg.encode()) < 10 * 1024
