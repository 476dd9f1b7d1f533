"""The plan progress (projections/plan_progress.py) as Norwegian tables: one per target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from projections.formats.model import Cell, Row, Table, norwegian_date, show, text
from projections.formats.text_table import render_text
from projections.labels import label


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
                    Cell(_number(year["actual"]), target["figure"]),
                    Cell(_number(year["path"])),
                    Cell(_verdict(year["on_track"])),
                )
            )
            for year in target["years"]
        )
        notes = (
            f"{label('plan_progress.base')} {norwegian_date(base['date'])}: "
            f"{_number(base['value'])}. {label('plan_progress.target')} {goal['year']}: "
            f"{_number(goal['value'])}.",
        )
        tables.append(Table(target["figure"], target["label"], columns, rows, notes=notes))
    return tables


def render_plan_progress_text(progress: Mapping[str, Any], heading: str | None = None) -> str:
    """The plan progress as terminal text under the municipality's heading."""
    title = f"{label('plan_progress.title')} {label('word.as_of')} "
    title += norwegian_date(progress["as_of"])
    text_out = render_text(
        plan_progress_tables(progress), f"{heading}: {title}" if heading else title
    )
    return text_out + label("plan_progress.note_actual") + "\n"


def _number(value: int | float | None) -> str | None:
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
