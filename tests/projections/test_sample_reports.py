"""Every expected report beside every sample equals the report computed from the read models."""

from __future__ import annotations

import pytest

from projections.db import ReadStore
from projections.runner import catch_up
from projections.source import JsonlChangeSource
from tests.projections.conftest import StoreFactory
from tests.projections.samples import SAMPLES, Expectation, compute, expectations, sample_files

EXPECTATIONS = expectations()


@pytest.fixture(scope="module")
def loaded(module_stores: StoreFactory) -> dict[str, ReadStore]:
    """Each sample caught up once per backend into its own read store."""
    stores = {}
    for events in sample_files():
        store = module_stores()
        catch_up(JsonlChangeSource(events), store)
        stores[events.name.removesuffix(".jsonl")] = store
    return stores


def test_the_samples_directory_holds_samples_with_expected_reports() -> None:
    assert sample_files(), f"no sample event files in {SAMPLES} (set BOLIGSPOR_SAMPLES)"
    samples_with_reports = {e.sample for e in EXPECTATIONS}
    assert samples_with_reports == {p.name.removesuffix(".jsonl") for p in sample_files()}


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda e: e.id)
def test_the_report_from_the_read_models_equals_the_expected_file(
    expectation: Expectation, loaded: dict[str, ReadStore]
) -> None:
    computed = compute(loaded[expectation.sample], expectation.kind, expectation.argument)
    assert computed == expectation.expected()


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda e: e.id)
def test_the_report_keys_come_in_contract_order(
    expectation: Expectation, loaded: dict[str, ReadStore]
) -> None:
    computed = compute(loaded[expectation.sample], expectation.kind, expectation.argument)
    assert _key_paths(computed) == _key_paths(expectation.expected())


def _key_paths(value: object, prefix: str = "") -> list[str]:
    if isinstance(value, dict):
        paths = []
        for key, inner in value.items():
            paths.append(f"{prefix}/{key}")
            paths.extend(_key_paths(inner, f"{prefix}/{key}"))
        return paths
    if isinstance(value, list):
        return [
            path for i, inner in enumerate(value) for path in _key_paths(inner, f"{prefix}[{i}]")
        ]
    return []
