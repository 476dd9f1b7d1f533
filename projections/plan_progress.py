"""How far the municipality has come towards its housing plan's targets, year by year.

Each target of the municipality's configuration (domain/municipality.py) names a figure of the
status report (a dotted path into its JSON: `waiting_list.total`) or of the outcome report
(prefixed `outcomes.`: `outcomes.kostra.allocated.total`). For every year from the base date's
year through the current one:
- `actual`: the figure as of 31 December (the current year: as of today); the outcome report's
  figure for that year; null where no figure can be had;
- `path`: the straight line from the base value on the base date to the target value on
  31 December of the target year, at that same date (the target value after it), rounded to one
  decimal (halves away from zero);
- `on_track`: the actual figure is on the target's side of the rounded path or on it (the side
  is given by the target against the base; a target equal to its base wants the path itself);
  null with no actual figure.
A year whose date comes before the base date is left out.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any

from domain.municipality import OUTCOME_PREFIX, Municipality, MunicipalityConfigError, PlanTarget
from projections.db import ReadStore
from projections.status_report import status_report

# Where `outcomes.` figures come from: "module:function" taking (store, year, today).
OUTCOME_REPORT = "projections.outcome_report:outcome_report"

Report = dict[str, Any]
Number = int | float


def plan_progress(store: ReadStore, municipality: Municipality, today: date) -> dict[str, Any]:
    """Every plan target of the municipality with its base, its goal and each year's progress."""
    figures = _Figures(store, municipality, today)
    return {
        "municipality": {"name": municipality.name, "number": municipality.number},
        "as_of": today.isoformat(),
        "targets": [_target_progress(target, figures, today) for target in municipality.targets],
    }


def _target_progress(target: PlanTarget, figures: _Figures, today: date) -> dict[str, Any]:
    years = []
    for year in range(target.base_date.year, today.year + 1):
        day = today if year == today.year else date(year, 12, 31)
        if day < target.base_date:
            continue
        actual = figures.value(target.figure, year, day)
        path = path_value(target, day)
        years.append(
            {
                "year": year,
                "actual": actual,
                "path": path,
                "on_track": on_track(target, actual, path),
            }
        )
    return {
        "figure": target.figure,
        "label": target.label,
        "base": {"date": target.base_date.isoformat(), "value": target.base_value},
        "target": {"year": target.target_year, "value": target.target_value},
        "years": years,
    }


def path_value(target: PlanTarget, day: date) -> float:
    """The straight path from the base to the target at a day, rounded to one decimal."""
    end = date(target.target_year, 12, 31)
    base, goal = _exact(target.base_value), _exact(target.target_value)
    elapsed = min((day - target.base_date).days, (end - target.base_date).days)
    exact = base + (goal - base) * Fraction(elapsed, (end - target.base_date).days)
    tenths = math.floor(abs(exact) * 10 + Fraction(1, 2))
    return math.copysign(tenths, exact) / 10


def on_track(target: PlanTarget, actual: Number | None, path: float) -> bool | None:
    """Whether an actual figure is on the target's side of the path (or on it)."""
    if actual is None:
        return None
    if target.target_value < target.base_value:
        return actual <= path
    if target.target_value > target.base_value:
        return actual >= path
    return actual == path


def _exact(value: Number) -> Fraction:
    return Fraction(value) if isinstance(value, int) else Fraction(str(value))


class _Figures:
    """The status reports and outcome reports the targets need, each computed once."""

    def __init__(self, store: ReadStore, municipality: Municipality, today: date) -> None:
        self.store = store
        self.districts = municipality.district_codes
        self.today = today
        self.status: dict[date, Report] = {}
        self.outcomes: dict[int, Report | None] = {}

    def value(self, figure: str, year: int, day: date) -> Number | None:
        if figure.startswith(OUTCOME_PREFIX):
            report = self._outcome_report(year)
            if report is None:
                return None
            return _figure_at(report, figure.removeprefix(OUTCOME_PREFIX), figure, "outcome")
        if day not in self.status:
            self.status[day] = status_report(self.store, day, self.districts)
        return _figure_at(self.status[day], figure, figure, "status")

    def _outcome_report(self, year: int) -> Report | None:
        if year not in self.outcomes:
            compute = outcome_report_function()
            self.outcomes[year] = None if compute is None else compute(self.store, year, self.today)
        return self.outcomes[year]


def outcome_report_function() -> Callable[[ReadStore, int, date], Report] | None:
    """The outcome report's function named by OUTCOME_REPORT, or None while it does not exist."""
    module_name, _, name = OUTCOME_REPORT.partition(":")
    if importlib.util.find_spec(module_name) is None:
        return None
    function: Callable[[ReadStore, int, date], Report] = getattr(
        importlib.import_module(module_name), name
    )
    return function


def _figure_at(report: Report, path: str, figure: str, kind: str) -> Number | None:
    node: Any = report
    for step in path.split("."):
        if not isinstance(node, dict) or step not in node:
            raise MunicipalityConfigError(
                f"plan target {figure}: the {kind} report has no figure {path}"
            )
        node = node[step]
    if node is None:
        return None
    if isinstance(node, bool) or not isinstance(node, int | float):
        raise MunicipalityConfigError(
            f"plan target {figure}: {path} of the {kind} report is a block, not a figure"
        )
    value: Number = node
    return value
