"""Charts drawn on the server as small SVG: no chart library in the browser. Pure.

Each row puts its label on a line of its own and its bar below, so a 360-px phone shows
readable text (the picture is 320 units wide and scales to its box); the table under each
chart carries the same numbers for screen readers and for copying.
"""
from __future__ import annotations

from xml.sax.saxutils import escape

WIDTH = 320
ROW = 34
BAR = 12
PAD = 6
COLOURS = ("#2f6b3a", "#a8401f", "#d4a017", "#4b6fa5", "#7a5c99", "#5b5a52")


def _number(value) -> str:
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)


def bar_chart(rows, title: str, *, chart_id: str, format_value=_number) -> str:
    """Horizontal bars for [(label, value)], biggest scale first; returns an <svg> element."""
    rows = [(str(label), value or 0) for label, value in rows]
    top = max((value for _, value in rows), default=0) or 1
    height = PAD * 2 + ROW * max(len(rows), 1)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-t" '
             f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-t">{escape(title)}</title>']
    for index, (label, value) in enumerate(rows):
        y = PAD + index * ROW
        length = round((WIDTH - 70) * value / top, 1)
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<text x="0" y="{y + 12}" font-size="12" fill="#1d2b1f">{escape(label)}</text>')
        parts.append(f'<rect x="0" y="{y + 16}" width="{max(length, 1)}" height="{BAR}" rx="2" fill="{colour}"/>')
        parts.append(f'<text x="{length + 6}" y="{y + 26}" font-size="12" fill="#1d2b1f">'
                     f'{escape(format_value(value))}</text>')
    if not rows:
        parts.append(f'<text x="0" y="{PAD + 12}" font-size="12" fill="#5b5a52">—</text>')
    parts.append("</svg>")
    return "".join(parts)
