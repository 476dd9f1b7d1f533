"""The shared sample event files and the reports expected from them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from projections.annual_report import annual_report
from projections.by_name_list import by_name_list
from projections.data_quality import data_quality
from projections.db import ReadStore
from projections.outcome_report import outcome_report
from projections.status_report import status_report
from tests.conftest import SAMPLES

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 21)
REPORT_NAME = re.compile(
    r"(?P<kind>status|annual|by-name-list|outcomes|data-quality)-(?P<argument>[0-9-]+)\.json"
)


@dataclass(frozen=True)
class Expectation:
    """One expected report file beside a sample: which report, for which date or year."""

    sample: str
    kind: str  # "status" | "annual" | "by-name-list" | "outcomes" | "data-quality"
    argument: str  # the as-of date or the year
    path: Path

    @property
    def id(self) -> str:
        return f"{self.sample}.{self.kind}-{self.argument}"

    def expected(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        return result


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.glob("*.jsonl") if not p.name.endswith(".refused.jsonl"))


def expectations() -> list[Expectation]:
    found = []
    for events in sample_files():
        sample = events.name.removesuffix(".jsonl")
        for path in sorted(SAMPLES.glob(f"{sample}.*.json")):
            match = REPORT_NAME.fullmatch(path.name.removeprefix(f"{sample}."))
            if match is not None:
                found.append(Expectation(sample, match["kind"], match["argument"], path))
    return found


def compute(store: ReadStore, kind: str, argument: str, today: date = TODAY) -> dict[str, Any]:
    """The report the expectation names, computed from the read models."""
    if kind == "status":
        return status_report(store, date.fromisoformat(argument))
    if kind == "annual":
        return annual_report(store, int(argument), today)
    if kind == "by-name-list":
        return by_name_list(store, int(argument), today)
    if kind == "outcomes":
        return outcome_report(store, int(argument), today)
    if kind == "data-quality":
        return data_quality(store, date.fromisoformat(argument))
    raise ValueError(f"unknown report kind {kind!r}")
