"""A batch is applied exactly once: a failure before its commit leaves the views and the
tracking as they were, and running again applies it once."""

from __future__ import annotations

from typing import Any

import pytest

from projections.case_timeline import CaseTimeline
from projections.db import ReadStore, Table
from projections.read_model import AnyReadModel, ReadModel, Rows
from projections.registry import READ_MODELS
from projections.runner import catch_up, tables, tracked_positions
from projections.source import JsonlChangeSource
from tests.projections.conftest import StoreFactory
from tests.projections.samples import SAMPLES, compute, expectations
from tests.projections.sources import ListChangeSource

SAMPLE = "edge-2017-2025"


class Tripwire:
    """A read model, run after all the real ones, that fails its batch while armed."""

    def __init__(self) -> None:
        self.armed = False
        self.model: AnyReadModel = ReadModel[CaseTimeline](
            name="tripwire",
            stream="case",
            tables=(Table("rm_test_tripwire", (("case_ref", "TEXT NOT NULL"),)),),
            rows=self._rows,
        )

    def _rows(self, timeline: CaseTimeline) -> Rows:
        if self.armed:
            raise RuntimeError("the process died before the batch was committed")
        return {"rm_test_tripwire": [(timeline.case_ref,)]}


def _snapshot(store: ReadStore, read_models: tuple[AnyReadModel, ...]) -> dict[str, Any]:
    with store.reading() as tx:
        counts = {
            t.name: tx.query_one(f"SELECT COUNT(*) FROM {t.name}") for t in tables(read_models)
        }
        positions = tracked_positions(tx, read_models)
    reports = {
        e.id: compute(store, e.kind, e.argument) for e in expectations() if e.sample == SAMPLE
    }
    return {"counts": counts, "positions": positions, "reports": reports}


@pytest.mark.parametrize("batch_size", [1000, 50])
def test_a_batch_that_fails_before_its_commit_changes_nothing_and_is_applied_once_on_rerun(
    batch_size: int, module_stores: StoreFactory
) -> None:
    full = ListChangeSource.everything_in(JsonlChangeSource(SAMPLES / f"{SAMPLE}.jsonl"))
    tripwire = Tripwire()
    read_models = (*READ_MODELS, tripwire.model)
    store = module_stores()
    catch_up(
        full.prefix(len(full.changes) // 2), store, batch_size=batch_size, read_models=read_models
    )
    before = _snapshot(store, read_models)

    tripwire.armed = True
    with pytest.raises(RuntimeError, match="before the batch was committed"):
        catch_up(full, store, batch_size=batch_size, read_models=read_models)
    assert _snapshot(store, read_models) == before

    tripwire.armed = False
    applied = catch_up(full, store, batch_size=batch_size, read_models=read_models)

    assert applied == len(full.changes) - len(full.changes) // 2
    after = _snapshot(store, read_models)
    assert after["counts"]["rm_event_log"] == (len(full.changes),)
    assert set(after["positions"].values()) == {full.max_position()}
    assert after["reports"] == {e.id: e.expected() for e in expectations() if e.sample == SAMPLE}


def test_a_read_model_added_later_catches_up_from_the_start_and_the_others_apply_nothing_twice(
    module_stores: StoreFactory,
) -> None:
    full = ListChangeSource.everything_in(JsonlChangeSource(SAMPLES / f"{SAMPLE}.jsonl"))
    store = module_stores()
    catch_up(full, store, batch_size=500)
    tripwire = Tripwire()
    read_models = (*READ_MODELS, tripwire.model)

    applied = catch_up(full, store, batch_size=500, read_models=read_models)

    assert applied == len(full.changes)
    after = _snapshot(store, read_models)
    cases = {c.ref for c in full.changes if c.stream == "case"}
    assert after["counts"]["rm_test_tripwire"] == (len(cases),)
    assert after["counts"]["rm_event_log"] == (len(full.changes),)
    assert after["reports"] == {e.id: e.expected() for e in expectations() if e.sample == SAMPLE}
