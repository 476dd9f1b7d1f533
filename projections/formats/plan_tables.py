"""The housing plan's targets as tables and charts, in every format.

Takes the dict `projections.plan_progress.plan_progress(store, municipality, today)` returns:
``{"municipality": {"name", "number"}, "as_of": "YYYY-MM-DD", "targets": [{"figure", "label",
"base": {"date", "value"}, "target": {"year", "value"}, "years": [{"year", "actual", "path",
"on_track"}]}]}``. One overview table (each target's base, goal, latest actual figure and
whether it is on track) and, per target, a table of its years with a chart of the actual figure
against the straight path to the target. The terminal table (`boligspor report --plan`) is
one table per target, year by year, under the municipality's heading.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from projections.formats.chart_specs import ChartSpec
from projections.formats.csv_file import render_csv
from projections.formats.html_page import charts_for_specs, render_html
from projections.formats.model import Cell, Row, Table, Value, norwegian_date, show, text
from projections.formats.spreadsheet import render_xlsx
from projections.formats.text_table import render_text
from projections.labels import label

PLAN_FORMATS: tuple[str, ...] = ("json", "table", "csv", "xlsx", "html")


@dataclass(frozen=True)
class PlanMunicipality:
    name: str
    number: str


def plan_municipality(plan: Mapping[str, Any]) -> PlanMunicipality:
    return PlanMunicipality(plan["municipality"]["name"], plan["municipality"]["number"])


def plan_heading(plan: Mapping[str, Any]) -> str:
    """«Boligplanens mål – tall per 21.11.2026»."""
    return f"{label('report.plan')} – {label('plan.as_of').lower()} {norwegian_date(plan['as_of'])}"


def _number(value: Any) -> Value:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    raise TypeError(f"not a plan figure: {value!r}")


def _on_track(value: bool | None) -> Cell:
    if value is None:
        return Cell(None)
    return Cell(label("plan.yes") if value else label("plan.no"))


def _latest(target: Mapping[str, Any]) -> Mapping[str, Any] | None:
    known = [year for year in target["years"] if year["actual"] is not None]
    return known[-1] if known else None


def overview_table(plan: Mapping[str, Any]) -> Table:
    """One row per target: its base (value, date), its goal (value, year), the latest actual
    figure and whether that is on track."""
    columns = (
        label("plan.figure"),
        label("plan.base"),
        label("plan.base_date"),
        label("plan.target"),
        label("plan.target_year"),
        label("plan.latest"),
        label("plan.on_track"),
    )
    rows = []
    for target in plan["targets"]:
        latest = _latest(target)
        rows.append(
            Row(
                (
                    text(target["label"]),
                    Cell(_number(target["base"]["value"])),
                    text(norwegian_date(target["base"]["date"])),
                    Cell(_number(target["target"]["value"])),
                    text(str(target["target"]["year"])),
                    Cell(None if latest is None else _number(latest["actual"])),
                    _on_track(None if latest is None else latest["on_track"]),
                )
            )
        )
    return Table("plan", label("report.plan"), columns, tuple(rows))


def target_spec(target: Mapping[str, Any], number: int) -> ChartSpec:
    """A target's years as a table (year, actual, path, on track) and its line chart (actual
    and path)."""
    columns = (label("plan.year"), label("plan.actual"), label("plan.path"), label("plan.on_track"))
    rows = tuple(
        Row(
            (
                text(str(year["year"])),
                Cell(_number(year["actual"])),
                Cell(_number(year["path"])),
                _on_track(year["on_track"]),
            )
        )
        for year in target["years"]
    )
    title = (
        f"{target['label']}: {_shown(target['base']['value'])} → "
        f"{_shown(target['target']['value'])} {label('plan.by_year')} {target['target']['year']}"
    )
    table = Table("plan_target", title, columns, rows)
    return ChartSpec(
        f"plan-{number}",
        title,
        "line",
        table,
        f"{label('sheet.chart.plan_target')} {number}",
        periods=tuple(str(year["year"]) for year in target["years"]),
        value_title=target["label"],
        decimals=1,
        series=2,
    )


def _shown(value: Any) -> str:
    return show(_number(value))


def plan_specs(plan: Mapping[str, Any]) -> list[ChartSpec]:
    return [target_spec(target, number) for number, target in enumerate(plan["targets"], 1)]


def render_plan(
    plan: Mapping[str, Any],
    fmt: str,
    *,
    made_on: date | None = None,
    municipality_heading: str | None = None,
) -> str | bytes:
    """The plan's progress as `fmt` (json, table, csv, xlsx, html); the terminal table goes
    under the municipality's heading when it is given."""
    if fmt not in PLAN_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(PLAN_FORMATS)}")
    if fmt == "json":
        return json.dumps(plan, ensure_ascii=False, indent=1)
    if fmt == "table":
        return render_plan_text(plan, municipality_heading)
    heading = plan_heading(plan)
    municipality = plan_municipality(plan)
    overview = overview_table(plan)
    specs = plan_specs(plan)
    if fmt == "xlsx":
        return render_xlsx([overview], heading, specs, municipality=municipality, made_on=made_on)
    if fmt == "html":
        return render_html(
            [overview],
            heading,
            charts_for_specs(specs),
            municipality=municipality,
            made_on=made_on,
            tables_first=True,
        )
    return render_csv([overview, *(spec.table for spec in specs)])


def plan_progress_tables(progress: Mapping[str, Any]) -> list[Table]:
    """Per target: each year's actual figure, the path to the target and whether it is on it."""
    columns = tuple(label(f"plan_progress.{key}") for key in ("year", "actual", "path", "on_track"))
    tables = []
    for target in progress["targets"]:
        base, goal = target["base"], target["target"]
        rows = tuple(
            Row(
                (
                    text(str(year["year"])),
                    Cell(_written(year["actual"]), target["figure"]),
                    Cell(_written(year["path"])),
                    Cell(_verdict(year["on_track"])),
                )
            )
            for year in target["years"]
        )
        notes = (
            f"{label('plan_progress.base')} {norwegian_date(base['date'])}: "
            f"{_written(base['value'])}. {label('plan_progress.target')} {goal['year']}: "
            f"{_written(goal['value'])}.",
        )
        tables.append(Table(target["figure"], target["label"], columns, rows, notes=notes))
    return tables


def render_plan_text(progress: Mapping[str, Any], heading: str | None = None) -> str:
    """The plan progress as terminal text under the municipality's heading."""
    title = f"{label('plan_progress.title')} {label('word.as_of')} "
    title += norwegian_date(progress["as_of"])
    text_out = render_text(
        plan_progress_tables(progress), f"{heading}: {title}" if heading else title
    )
    return text_out + label("plan_progress.note_actual") + "\n"


def _written(value: int | float | None) -> str | None:
    """A figure as a Norwegian reader writes it: 2 312, 182,2; None stays «no figure»."""
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",")
    return show(value)


def _verdict(on_track: bool | None) -> str | None:
    if on_track is None:
        return None
    return label("plan_progress.yes" if on_track else "plan_progress.no")
