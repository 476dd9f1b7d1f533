"""The table model every output format draws from: titled tables of labelled cells.

A report dict (FIGURES.md JSON, possibly suppressed) becomes a list of `Table`s with Norwegian
labels; each number cell keeps the dotted JSON path of its figure (`Cell.key`), so an export can
be traced back to the definition it comes from. Derived numbers (sums a table adds for the
reader) have no key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from domain.municipality import MOSS

Value = int | float | str | None
DistrictConfig = Sequence[tuple[str, str, str]]


class NamedMunicipality(Protocol):
    """What a report's front sheet and heading name: the municipality and its number."""

    @property
    def name(self) -> str: ...

    @property
    def number(self) -> str: ...


@dataclass(frozen=True)
class MunicipalityName:
    name: str
    number: str


MOSS_NAME = MunicipalityName("Moss", "3103")


@dataclass(frozen=True)
class Cell:
    """One cell: a label (str), a figure (int; float for a plan's path; a suppression marker;
    None for «no value»)."""

    value: Value
    key: str | None = None


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    total: bool = False


@dataclass(frozen=True)
class Table:
    """A titled table; the first `stub` columns label the rows, the rest hold figures."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    stub: int = 1
    notes: tuple[str, ...] = ()


def text(value: str) -> Cell:
    return Cell(value)


def figure(report: Mapping[str, Any], path: str) -> Cell:
    """The cell of the figure at a dotted path of the report."""
    node: Any = report
    for step in path.split("."):
        node = node[int(step)] if isinstance(node, list) else node[step]
    if not (node is None or isinstance(node, int | str)) or isinstance(node, bool):
        raise TypeError(f"{path} is not a figure: {node!r}")
    return Cell(node, path)


def figure_block(report: Mapping[str, Any], block: str) -> Mapping[str, Any]:
    """The by-X block of figures at a dotted path of the report."""
    node: Any = report
    for step in block.split("."):
        node = node[step]
    if not isinstance(node, Mapping):
        raise TypeError(f"{block} is not a block of figures")
    return node


def derived_sum(cells: Sequence[Cell]) -> Cell:
    """A sum the table adds for the reader; withheld («:») if any part is not a number."""
    values = [cell.value for cell in cells]
    if all(isinstance(v, int) for v in values):
        return Cell(sum(v for v in values if isinstance(v, int)))
    return Cell(":")


def norwegian_date(iso: str) -> str:
    """2023-09-01 → 01.09.2023."""
    day = date.fromisoformat(iso)
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def month_name(month: str) -> str:
    """2023-01 → januar 2023."""
    from projections.labels import label

    year, number = month.split("-")
    return f"{label(f'month.{int(number)}')} {year}"


def show(value: Value, *, space: str = " ") -> str:
    """A value as a reader sees it: 2312 → «2 312», 160.5 → «160,5», None → «–», markers as
    they are."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}".replace(",", space)
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", space).replace(".", ",")
    return value


def districts_in(
    block: Mapping[str, Any], districts: DistrictConfig = MOSS.district_table
) -> list[tuple[str, str, str]]:
    """(code, display name, area) for the district keys of a report block, configuration order
    first; a key the configuration does not know keeps its code as its name and has no area."""
    known = [entry for entry in districts if entry[0] in block]
    codes = {code for code, _, _ in districts}
    extra = [(code, code, "") for code in block if code not in codes and code != "unknown"]
    return known + extra


def report_heading(report: Mapping[str, Any], kind: str) -> str:
    """The heading of a report: «Statusrapport per 01.09.2023», «Årsrapport 2023», …"""
    from projections.labels import label

    if kind == "status":
        return f"{label('report.status')} {label('word.as_of')} {norwegian_date(report['as_of'])}"
    return f"{label('report.' + kind)} {report['year']}"
