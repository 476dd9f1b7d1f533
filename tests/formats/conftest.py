"""Shared fixtures: the expected reports in tests/samples, read as report dicts."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import SAMPLES


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
    assert found, f"no sample reports in {SAMPLES}"
    return found


def load_sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return data
