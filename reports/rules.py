"""Report arithmetic without Flask or a database: periods, trends, medians, shares."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from statistics import median as _median

from reports.constants import PeriodKind

_KEYS = {
    PeriodKind.MONTH: re.compile(r"(\d{4})-(\d{2})"),
    PeriodKind.QUARTER: re.compile(r"(\d{4})-Q([1-4])"),
    PeriodKind.YEAR: re.compile(r"(\d{4})"),
}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date  # first day
    end: date  # first day after

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def number(self) -> int:
        """Month 1–12 or quarter 1–4 within the year (0 for a year)."""
        if self.kind == PeriodKind.MONTH:
            return self.start.month
        if self.kind == PeriodKind.QUARTER:
            return (self.start.month - 1) // 3 + 1
        return 0

    def previous(self) -> "Period":
        months = _months(self.kind)
        year, month = divmod(self.start.year * 12 + self.start.month - 1 - months, 12)
        return period_starting(self.kind, date(year, month + 1, 1))


def _months(kind: PeriodKind) -> int:
    return {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[kind]


def period_starting(kind: PeriodKind, start: date) -> Period:
    year, month = divmod(start.year * 12 + start.month - 1 + _months(kind), 12)
    return Period(kind, start, date(year, month + 1, 1))


def period_containing(kind: PeriodKind, day: date) -> Period:
    if kind == PeriodKind.MONTH:
        return period_starting(kind, date(day.year, day.month, 1))
    if kind == PeriodKind.QUARTER:
        return period_starting(kind, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    return period_starting(kind, date(day.year, 1, 1))


def parse_period(kind_text, key_text, today: date) -> Period:
    """The period a report asks for ("quarter", "2026-Q3"); the current one when unreadable,
    and never one that starts after today."""
    key_text = (key_text or "").strip()
    if not kind_text:  # the key says its kind: "2026-Q3", "2026-11", "2026"
        kind_text = next((kind for kind, pattern in _KEYS.items() if pattern.fullmatch(key_text)), None)
    try:
        kind = PeriodKind(kind_text or PeriodKind.QUARTER)
    except ValueError:
        kind = PeriodKind.QUARTER
    match = _KEYS[kind].fullmatch(key_text)
    current = period_containing(kind, today)
    if match is None:
        return current
    year = int(match.group(1))
    if not 2000 <= year <= today.year:
        return current
    if kind == PeriodKind.MONTH:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return current
        chosen = period_starting(kind, date(year, month, 1))
    elif kind == PeriodKind.QUARTER:
        chosen = period_starting(kind, date(year, (int(match.group(2)) - 1) * 3 + 1, 1))
    else:
        chosen = period_starting(kind, date(year, 1, 1))
    return chosen if chosen.start <= today else current


def recent_periods(kind: PeriodKind, today: date, count: int = 8) -> list:
    periods, period = [], period_containing(kind, today)
    for _ in range(count):
        periods.append(period)
        period = period.previous()
    return periods


@dataclass(frozen=True)
class Trend:
    current: float
    previous: float | None

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.current - self.previous

    @property
    def direction(self) -> str:
        change = self.change
        if change is None:
            return "none"
        return "up" if change > 0 else "down" if change < 0 else "same"


def median_days(pairs) -> float | None:
    """Median of the days between (submitted, decided) datetimes; None without any."""
    days = [(decided - submitted).total_seconds() / 86400 for submitted, decided in pairs
            if submitted is not None and decided is not None and decided >= submitted]
    return round(_median(days), 1) if days else None


def share(part: int, whole: int) -> float | None:
    """Percent with one decimal; None when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else None
