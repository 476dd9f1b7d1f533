"""Published figures show no count from 1 to 4, and no hidden count follows from a total."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from projections.suppression import (
    EXEMPT_BLOCKS,
    NOT_FIGURES,
    QUANTITY_BASIS,
    SMALL,
    WITHHELD,
    groups,
    hidden_cells,
    suppress,
    suppress_series,
)
from tests.formats.conftest import load_sample, sample_reports

SAMPLES = sample_reports()


def _walk(node: Any, path: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    if isinstance(node, dict):
        return [cell for key, value in node.items() for cell in _walk(value, (*path, key))]
    if isinstance(node, list):
        return [cell for index, value in enumerate(node) for cell in _walk(value, (*path, index))]
    return [(path, node)]


def _get(node: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_no_count_from_one_to_four_is_visible(name: str, kind: str, report: dict[str, Any]) -> None:
    published = suppress(report)
    for path, value in _walk(published):
        not_a_count = path in QUANTITY_BASIS or path[-1] in NOT_FIGURES
        if not_a_count or path[0] in EXEMPT_BLOCKS or not isinstance(value, int):
            continue
        assert not 1 <= value <= 4, f"{name}: {path} shows {value}"


@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_no_group_with_a_visible_total_has_exactly_one_hidden_cell(
    name: str, kind: str, report: dict[str, Any]
) -> None:
    published = suppress(report)
    for group in groups(report):
        hidden = [cell for cell in group.cells if _get(published, cell) in (SMALL, WITHHELD)]
        assert len(hidden) != 1, f"{name}: {group.name} hides only {hidden}"


@pytest.mark.parametrize(("name", "kind", "report"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_zeros_and_large_counts_stay_and_the_input_is_untouched(
    name: str, kind: str, report: dict[str, Any]
) -> None:
    before = copy.deepcopy(report)
    published = suppress(report)
    assert report == before
    hidden = hidden_cells(report)
    for path, value in _walk(report):
        if value == 0 or path not in hidden:
            assert _get(published, path) == value
    assert list(published) == list(report)


def test_a_single_small_breakdown_cell_takes_the_smallest_other_one_with_it() -> None:
    report = load_sample("moss-2023.status-2023-09-01.json")
    published = suppress(report)
    situation = published["homeless"]["by_situation"]
    assert situation["friends_family"] == SMALL
    assert situation["institution"] == WITHHELD
    assert situation["temporary"] == 18
    assert published["homeless"]["total"] == 37
    assert published["waiting_list"]["by_group"]["families"] == 53
    assert published["dwellings"]["by_category"]["small_house"] == 4


def test_a_median_over_a_small_count_is_withheld_and_null_stays_null() -> None:
    report = load_sample("moss-2023.status-2024-12-31.json")
    report["temporary_housing"].update(current_stays=2, median_nights=40, max_nights=60)
    report["waiting_list"]["median_days_waiting"] = None
    published = suppress(report)
    assert published["temporary_housing"]["current_stays"] == SMALL
    assert published["temporary_housing"]["median_nights"] == WITHHELD
    assert published["temporary_housing"]["max_nights"] == WITHHELD
    assert published["waiting_list"]["median_days_waiting"] is None


def test_a_subset_whose_complement_is_small_is_withheld() -> None:
    report = load_sample("moss-2023.status-2023-09-01.json")
    report["homeless"]["with_children"] = 35
    assert suppress(report)["homeless"]["with_children"] == WITHHELD


def test_the_waiting_list_flow_of_a_year_cannot_be_solved_for_one_hidden_term() -> None:
    report = load_sample("moss-2023.annual-2023.json")
    report["waiting_list"].update(
        start=160, joined=150, left_settled=130, left_withdrawn=15, left_closed=3, end=162
    )
    flow = suppress(report)["waiting_list"]
    hidden = [
        k
        for k in ("start", "end", "joined", "left_settled", "left_withdrawn", "left_closed")
        if flow[k] in (SMALL, WITHHELD)
    ]
    assert flow["left_closed"] == SMALL
    assert len(hidden) >= 2


def test_published_chart_series_hide_small_counts_but_keep_nights() -> None:
    series = {
        "waiting_list_month_end": [("2023-01", 3), ("2023-02", 190), ("2023-03", 0)],
        "nights_per_month": [("2023-01", 2)],
        "complaints_by_district": {"ramberg": 1, "bytarnet": 7},
    }
    published = suppress_series(series)
    assert published["waiting_list_month_end"] == [
        ("2023-01", SMALL),
        ("2023-02", 190),
        ("2023-03", 0),
    ]
    assert published["nights_per_month"] == [("2023-01", 2)]
    assert published["complaints_by_district"] == {"ramberg": SMALL, "bytarnet": 7}
