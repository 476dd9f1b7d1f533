"""Catching up in many small batches, over several calls, gives the same read models as one
pass, and as a rebuild."""

from __future__ import annotations

import random

import pytest

from projections.runner import catch_up, lag, rebuild
from projections.source import JsonlChangeSource
from tests.projections.conftest import StoreFactory
from tests.projections.samples import SAMPLES, compute, expectations
from tests.projections.sources import ListChangeSource

# The edge sample holds the retractions and backdated events; small batches split them apart.
SAMPLE_BATCHES = {"edge-2017-2025": 7, "moss-2023": 257}


@pytest.mark.parametrize("sample", sorted(SAMPLE_BATCHES))
def test_small_batches_over_several_calls_then_a_rebuild_give_the_expected_reports(
    sample: str, module_stores: StoreFactory
) -> None:
    full = ListChangeSource.everything_in(JsonlChangeSource(SAMPLES / f"{sample}.jsonl"))
    store = module_stores()
    cuts = sorted(random.Random(sample).sample(range(1, len(full.changes)), 5))
    applied = 0
    for cut in [*cuts, len(full.changes)]:
        applied += catch_up(full.prefix(cut), store, batch_size=SAMPLE_BATCHES[sample])
    assert applied == len(full.changes)
    assert set(lag(full, store).values()) == {0}
    wanted = [e for e in expectations() if e.sample == sample]
    incremental = {e.id: compute(store, e.kind, e.argument) for e in wanted}

    progress: list[tuple[int, int]] = []
    assert rebuild(full, store, progress=lambda done, total: progress.append((done, total))) == len(
        full.changes
    )

    rebuilt = {e.id: compute(store, e.kind, e.argument) for e in wanted}
    assert incremental == rebuilt == {e.id: e.expected() for e in wanted}
    assert progress[-1] == (full.max_position(), full.max_position())


def test_catching_up_when_nothing_is_new_applies_nothing(module_stores: StoreFactory) -> None:
    source = JsonlChangeSource(SAMPLES / "edge-2017-2025.jsonl")
    store = module_stores()
    first = catch_up(source, store)
    assert first > 0
    assert catch_up(source, store) == 0


def test_the_lag_is_the_distance_from_the_store_to_each_tracked_position(
    module_stores: StoreFactory,
) -> None:
    full = ListChangeSource.everything_in(JsonlChangeSource(SAMPLES / "edge-2017-2025.jsonl"))
    store = module_stores()
    catch_up(full.prefix(100), store)
    lags = lag(full, store)
    assert lags["event_log"] == full.max_position() - full.changes[99].position
    assert len(set(lags.values())) == 1
