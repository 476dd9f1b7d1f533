"""Inline SVG charts with a text alternative (title and desc), sized for a 360 px screen.

Each chart is drawn on a 360-unit-wide view box and scales with its container, so the text
stays legible on a phone and the chart never overflows. A value that is not a number (a
suppression marker) draws no bar and is written out as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from projections.formats.model import Value, show

WIDTH = 360
INK = "#1a1a1a"
BAR = "#1f5a96"  # 7.0:1 against white
GRID = "#6b6b6b"
FONT = 13


def _open(ident: str, title: str, desc: str, height: int) -> str:
    return (
        f'<svg role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' aria-labelledby="{ident}-title {ident}-desc" focusable="false"'
        f' font-family="system-ui, sans-serif" font-size="{FONT}" fill="{INK}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    )


def _numbers(values: Sequence[Value]) -> list[int]:
    return [v for v in values if isinstance(v, int)]


def describe(items: Sequence[tuple[str, Value]]) -> str:
    """A one-sentence summary for screen readers: highest, lowest and last value."""
    numbers = [(label, v) for label, v in items if isinstance(v, int)]
    if not numbers:
        return "Ingen tall å vise."
    high = max(numbers, key=lambda pair: pair[1])
    low = min(numbers, key=lambda pair: pair[1])
    last_label, last_value = items[-1]
    return (
        f"{len(items)} verdier. Høyest: {show(high[1])} ({high[0]}). "
        f"Lavest: {show(low[1])} ({low[0]}). Siste: {show(last_value)} ({last_label})."
    )


def bar_chart(ident: str, title: str, items: Sequence[tuple[str, Value]]) -> str:
    """Horizontal bars, each labelled above its bar, values at the bar's end."""
    row, bar_height, right_margin = 34, 14, 48
    height = max(row * len(items) + 8, 40)
    top = max([*_numbers([v for _, v in items]), 1])
    scale = (WIDTH - right_margin) / top
    parts = [_open(ident, title, describe(items), height)]
    for index, (name, value) in enumerate(items):
        y = index * row + 4
        parts.append(f'<text x="0" y="{y + FONT}">{escape(name)}</text>')
        length = value * scale if isinstance(value, int) else 0.0
        if length > 0:
            parts.append(
                f'<rect x="0" y="{y + 17}" width="{length:.1f}" height="{bar_height}"'
                f' fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{length + 4:.1f}" y="{y + 17 + bar_height - 2}">{escape(show(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _axis(top: int, left: int, plot_height: int, base: int) -> list[str]:
    parts = [
        f'<line x1="{left}" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="{GRID}"/>',
        f'<text x="{left - 4}" y="{base}" text-anchor="end">0</text>',
        f'<text x="{left - 4}" y="{base - plot_height + FONT}" text-anchor="end">'
        f"{escape(show(top))}</text>",
    ]
    return parts


def _period_labels(periods: Sequence[str], left: int, step: float, base: int) -> list[str]:
    """Label the first period and every January (or every month when there are few)."""
    parts = []
    for index, period in enumerate(periods):
        is_year_start = period.endswith("-01")
        if len(periods) <= 12 or is_year_start or index == 0:
            text = period[5:] if len(periods) <= 12 else period[:4]
            x = left + index * step + step / 2
            parts.append(
                f'<text x="{x:.1f}" y="{base + FONT + 4}" text-anchor="middle">'
                f"{escape(text)}</text>"
            )
    return parts


def column_chart(ident: str, title: str, items: Sequence[tuple[str, Value]]) -> str:
    """Vertical columns over time periods ('YYYY-MM'), for counts per month."""
    height, left, base = 200, 40, 176
    plot_height = base - 10
    top = max([*_numbers([v for _, v in items]), 1])
    step = (WIDTH - left) / max(len(items), 1)
    parts = [_open(ident, title, describe(items), height)]
    parts += _axis(top, left, plot_height, base)
    for index, (_, value) in enumerate(items):
        if isinstance(value, int) and value > 0:
            bar = value / top * plot_height
            x = left + index * step + step * 0.1
            parts.append(
                f'<rect x="{x:.1f}" y="{base - bar:.1f}" width="{step * 0.8:.1f}"'
                f' height="{bar:.1f}" fill="{BAR}"/>'
            )
    parts += _period_labels([period for period, _ in items], left, step, base)
    parts.append("</svg>")
    return "".join(parts)


def line_chart(ident: str, title: str, items: Sequence[tuple[str, Value]]) -> str:
    """A line over time periods ('YYYY-MM'); a value that is not a number breaks the line."""
    height, left, base = 200, 40, 176
    plot_height = base - 10
    top = max([*_numbers([v for _, v in items]), 1])
    step = (WIDTH - left) / max(len(items), 1)
    parts = [_open(ident, title, describe(items), height)]
    parts += _axis(top, left, plot_height, base)
    runs: list[list[str]] = [[]]
    for index, (_, value) in enumerate(items):
        if not isinstance(value, int):
            runs.append([])
            continue
        x = left + index * step + step / 2
        runs[-1].append(f"{x:.1f},{base - value / top * plot_height:.1f}")
    for run in runs:
        if len(run) == 1:
            cx, cy = run[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{BAR}"/>')
        elif run:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{BAR}"'
                f' stroke-width="2.5"/>'
            )
    parts += _period_labels([period for period, _ in items], left, step, base)
    parts.append("</svg>")
    return "".join(parts)
