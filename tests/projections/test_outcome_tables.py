"""The outcome report as tables: every figure of each expected sample file in exactly one cell,
with its value, under a Norwegian label, the KOSTRA tables first and in the form's order."""

from __future__ import annotations

import json
from typing import Any

import pytest

from projections.formats import render, tables_for
from tests.conftest import SAMPLES

OUTCOME_FILES = sorted(SAMPLES.glob("*.outcomes-*.json"))
KOSTRA_ORDER = [
    "kostra_dwellings",
    "kostra_applications",
    "kostra_allocated",
    "kostra_waiting_list",
    "kostra_temporary_housing",
    "outcomes_homeless",
    "outcomes_returns",
]


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, inner in value.items():
            found.update(leaves(inner, f"{prefix}.{key}" if prefix else key))
        return found
    return {prefix: value}


def test_there_are_outcome_samples() -> None:
    assert OUTCOME_FILES


@pytest.mark.parametrize("path", OUTCOME_FILES, ids=lambda p: p.name)
def test_every_figure_is_in_one_cell_with_its_value(path: Any) -> None:
    report = json.loads(path.read_text(encoding="utf-8"))
    tables = tables_for(report, "outcomes")
    assert [t.key for t in tables] == KOSTRA_ORDER
    cells = {
        cell.key: cell.value
        for table in tables
        for row in table.rows
        for cell in row.cells
        if cell.key is not None
    }
    figures = {k: v for k, v in leaves(report).items() if k != "year"}
    assert set(cells) == set(figures)
    for key, value in figures.items():
        if isinstance(value, float):
            assert cells[key] == f"{value:.1f}".replace(".", ",")
        else:
            assert cells[key] == value, key


def test_the_csv_carries_the_norwegian_kostra_wording() -> None:
    report = json.loads(OUTCOME_FILES[0].read_text(encoding="utf-8"))
    text = render(report, "outcomes", "csv")
    assert isinstance(text, str)
    for words in ("Flyktninger", "herav nye husstander", "Husstander med 0–14 døgn"):
        assert words in text
