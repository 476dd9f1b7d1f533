"""Moss's housing-plan targets from the seed's working table, followed year by year: the
interim source of the plan page on this branch.

The configured targets and their progress are `projections.plan_progress.plan_progress(store,
municipality, today)` (issue 16 item 3, branch h16-plan); when that is merged, the plan page's
provider (`api/pages/plan_routes.py: plan_figures`) calls it instead and this module goes.
The rules are the ones that module documents: `actual` is the status report's figure as of
31 December (the current year: today); `path` the straight line from the base value on the base
date to the target value on 31 December of the target year, rounded to one decimal; `on_track`
whether the actual figure is on the target's side of the path (or on it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.db import ReadStore
from projections.status_report import status_report

BASE_DATE = date(2023, 9, 1)
TARGET_YEAR = 2035
# (figure of the status report, label, value on 01.09.2023, target value for 2035)
SEED_TARGETS = (
    ("waiting_list.total", "Venteliste", 193, 93),
    ("dwellings.total_municipal", "Totalt antall kommunale boliger", 831, 954),
    ("dwellings.by_category.small_house", "Kommunale småhus", 4, 30),
    ("dwellings.by_category.referral", "Boliger med tilvisningsavtaler", 152, 227),
)


def _path(base: int, goal: int, day: date) -> float:
    end = date(TARGET_YEAR, 12, 31)
    elapsed = min((day - BASE_DATE).days, (end - BASE_DATE).days)
    return round(base + (goal - base) * elapsed / (end - BASE_DATE).days, 1)


def _figure(report: dict[str, Any], path: str) -> int:
    node: Any = report
    for step in path.split("."):
        node = node[step]
    value: int = node
    return value


def moss_plan_progress(store: ReadStore, today: date) -> dict[str, Any]:
    """The seed's targets in the shape of `plan_progress`."""
    days = [
        today if y == today.year else date(y, 12, 31) for y in range(BASE_DATE.year, today.year + 1)
    ]
    reports = {day: status_report(store, day) for day in days}
    targets = []
    for figure, name, base, goal in SEED_TARGETS:
        years = []
        for day in days:
            actual = _figure(reports[day], figure)
            path = _path(base, goal, day)
            ahead = actual <= path if goal < base else actual >= path
            years.append({"year": day.year, "actual": actual, "path": path, "on_track": ahead})
        targets.append(
            {
                "figure": figure,
                "label": name,
                "base": {"date": BASE_DATE.isoformat(), "value": base},
                "target": {"year": TARGET_YEAR, "value": goal},
                "years": years,
            }
        )
    return {
        "municipality": {"name": "Moss", "number": "3103"},
        "as_of": today.isoformat(),
        "targets": targets,
    }
