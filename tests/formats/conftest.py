"""Shared fixtures: the expected reports in shared/samples, read as report dicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


def sample_reports() -> list[tuple[str, str, dict[str, Any]]]:
    """(file name, kind, report) for every expected report in the samples folder."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted(SAMPLES.glob("*.json")):
        if ".status-" in path.name:
            kind = "status"
        elif ".annual-" in path.name:
            kind = "annual"
        elif ".by-name-list-" in path.name:
            kind = "by_name_list"
        else:
            continue
        found.append((path.name, kind, json.loads(path.read_text(encoding="utf-8"))))
    if not found:
        pytest.skip(f"no sample reports in {SAMPLES}")
    return found


def load_sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return data
