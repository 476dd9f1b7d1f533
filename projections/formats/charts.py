"""Charts drawn by matplotlib as SVG on the server, inlined in the page.

matplotlib is the well-kept, widely used Python chart library; drawing on the server as SVG
needs no JavaScript (the pages' strict Content-Security-Policy stays), scales to any screen, and
keeps its text as text (``svg.fonttype = none``), so it is sharp and searchable. The output is
reproducible: a fixed ``svg.hashsalt`` makes the ids the same every run, and the metadata
(date, creator) is dropped (projections/formats/svg_clean.py). Axes have gridlines, Norwegian
thousands separators and decimal commas, and months carry their Norwegian names from the label
catalogue (never the locale). A value that is not a number (a suppression marker) draws nothing
and is written out where its bar or point would be.
"""

from __future__ import annotations

import functools
import io
import math
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from projections.formats.chart_specs import ChartSpec
from projections.formats.model import Value, show
from projections.formats.svg_clean import inline_svg
from projections.labels import label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

INK = "#1a1a1a"
COLOURS = ("#1f5a96", "#a33b00", "#2e6b30")  # each ≥ 4.5:1 against white
GRID = "#c4c4c4"
FONT_SIZE = 12
WIDTH_INCHES = 5.0  # 360 units wide: the text stays legible when a phone scales it down
RC: dict[str, Any] = {
    "svg.hashsalt": "boligspor",
    "svg.fonttype": "none",
    "font.size": FONT_SIZE,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
}
_LOCK = threading.Lock()  # rc_context changes matplotlib's global settings while it draws


def number_text(value: float, decimals: int = 0) -> str:
    """1234 → «1 234», 160.5 → «160,5» (Norwegian separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def _value_text(value: Value, decimals: int) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value, decimals if isinstance(value, float) else 0)
    return show(value)


def describe(spec: ChartSpec) -> str:
    """A summary for screen readers: per series its highest, lowest and last value."""
    labels = spec.point_labels
    parts = []
    for index, name in enumerate(spec.series_names):
        numbers = [
            (labels[i], v) for i, v in enumerate(spec.values(index)) if isinstance(v, int | float)
        ]
        if not numbers:
            parts.append(f"{name}: {label('chart.no_numbers')}")
            continue
        high = max(numbers, key=lambda pair: pair[1])
        low = min(numbers, key=lambda pair: pair[1])
        last = numbers[-1]
        parts.append(
            f"{name}: {label('chart.highest')} {_value_text(high[1], spec.decimals)} ({high[0]}), "
            f"{label('chart.lowest')} {_value_text(low[1], spec.decimals)} ({low[0]}), "
            f"{label('chart.last')} {_value_text(last[1], spec.decimals)} ({last[0]})."
        )
    return " ".join(parts)


def _floats(values: Sequence[Value]) -> list[float]:
    return [float(v) if isinstance(v, int | float) else math.nan for v in values]


def _tick_labels(periods: Sequence[str]) -> list[str]:
    """Month periods as Norwegian short month names (with the year at each January and at the
    start), years as they are."""
    if not periods or "-" not in periods[0]:
        return list(periods)
    years = {period[:4] for period in periods}
    out = []
    for index, period in enumerate(periods):
        year, month = period.split("-")
        short = label(f"month.{int(month)}")[:3]
        with_year = len(years) > 1 and (month == "01" or index == 0)
        out.append(f"{short}\n{year}" if with_year else short)
    return out


def _value_axis(ax: Axes, axis: Literal["x", "y"], decimals: int) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    formatter = FuncFormatter(lambda v, _: number_text(v, decimals if v != int(v) else 0))
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(nbins=5, integer=decimals == 0))
    target.set_major_formatter(formatter)
    ax.grid(axis=axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _time_axis(ax: Axes, spec: ChartSpec) -> None:
    labels = _tick_labels(spec.periods or tuple(spec.point_labels))
    step = max(1, math.ceil(len(labels) / 12))
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [labels[i] for i in ticks])
    if len(labels) > 12 or (len(ticks) > 6 and len(labels[0]) > 3):
        ax.tick_params(axis="x", labelrotation=45)
    ax.set_xlim(-0.6, len(labels) - 0.4)


def _markers(ax: Axes, values: Sequence[Value], y: float) -> None:
    for index, value in enumerate(values):
        if isinstance(value, str):
            ax.text(index, y, value, ha="center", va="bottom", fontsize=FONT_SIZE - 1)


def _over_time(ax: Axes, spec: ChartSpec) -> None:
    _value_axis(ax, "y", spec.decimals)
    positions = list(range(len(spec.table.rows)))
    for index, name in enumerate(spec.series_names):
        values = spec.values(index)
        colour = COLOURS[index % len(COLOURS)]
        if spec.kind == "column":
            ax.bar(positions, _floats(values), width=0.7, color=colour, label=name)
        else:
            style = "-" if index == 0 else "--"
            ax.plot(
                positions, _floats(values), style, color=colour, linewidth=2.2, label=name,
                marker="o", markersize=4,
            )  # fmt: skip
        _markers(ax, values, 0)
    ax.set_ylim(bottom=0)
    _time_axis(ax, spec)
    if len(spec.series_names) > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=2, frameon=False)


def _bars(ax: Axes, spec: ChartSpec) -> None:
    """Horizontal bars, each labelled above its bar (long Norwegian labels need the width)."""
    values = spec.values(0)
    numbers = _floats(values)
    top = max([n for n in numbers if not math.isnan(n)] + [1.0])
    positions = [i * 2 + 1 for i in range(len(values))]
    ax.barh(positions, [0 if math.isnan(n) else n for n in numbers], height=0.8, color=COLOURS[0])
    for position, name, value, number in zip(
        positions, spec.point_labels, values, numbers, strict=True
    ):
        ax.text(0, position - 0.65, name, va="bottom", ha="left")
        end = 0 if math.isnan(number) else number
        ax.text(end + top * 0.01, position, _value_text(value, spec.decimals), va="center")
    _value_axis(ax, "x", spec.decimals)
    ax.set_xlim(0, top * 1.12)
    ax.set_ylim(len(values) * 2 + 0.2, -0.4)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)


@functools.lru_cache(maxsize=256)
def chart_svg(spec: ChartSpec, ident: str) -> str:
    """The chart of `spec` as an inline ``<svg role="img">`` with a title and a description.

    Drawing takes matplotlib some 0.1–0.2 s a chart; a spec is immutable (its numbers
    included), so the same figures are drawn once and a page shown again is served from the
    cache."""
    import matplotlib  # imported when a chart is drawn: it takes a second or more to load
    from matplotlib.figure import Figure

    rows = len(spec.table.rows)
    height = max(1.6, 0.5 * rows + 0.6) if spec.kind == "bar" else 2.9
    if len(spec.series_names) > 1:
        height += 0.5
    with _LOCK, matplotlib.rc_context(RC):  # type: ignore[arg-type]
        figure = Figure(figsize=(WIDTH_INCHES, height), layout="constrained")
        ax = figure.add_subplot()
        if spec.kind == "bar":
            _bars(ax, spec)
        else:
            _over_time(ax, spec)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return inline_svg(out.getvalue(), ident, spec.title, describe(spec))
