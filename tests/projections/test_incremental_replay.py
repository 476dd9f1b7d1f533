"""A batch continues each ref's replay when its new events come in order, replays the ref from
the start otherwise, and writes only the rows that changed: the rows are always those a replay
of each ref's whole history gives."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from projections import event_log, runner
from projections.db import ReadStore, Row, Transaction
from projections.history import Recorded
from projections.registry import READ_MODELS, REPLAYS
from projections.runner import catch_up, tables
from projections.source import Change, JsonlChangeSource
from settings import parse_database_url
from tests.projections.conftest import POSTGRES_URL
from tests.projections.events import Story
from tests.projections.samples import SAMPLES, compute, expectations
from tests.projections.sources import ListChangeSource


@pytest.fixture
def two_stores(backend: str, tmp_path: Path) -> Iterator[tuple[ReadStore, ReadStore]]:
    """Two connections to one fresh read database, as two processes would hold them."""
    if backend == "sqlite":
        url, schema = f"sqlite:///{tmp_path / 'read.sqlite'}", None
    else:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        url = f"{POSTGRES_URL}?schema={schema}"
    stores = (ReadStore.open(url), ReadStore.open(url))
    yield stores
    for store in stores:
        store.close()
    if schema is not None:
        conninfo = parse_database_url(POSTGRES_URL).conninfo
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
            )


def _table_rows(store: ReadStore) -> dict[str, list[Row]]:
    with store.reading() as tx:
        return {
            table.name: sorted(
                (tuple(row) for row in tx.query(f"SELECT * FROM {table.name}")), key=repr
            )
            for table in tables()
            if table.name != "rm_event_log"
        }


def _replayed_from_the_start(changes: Sequence[Change]) -> dict[str, list[Row]]:
    """Every read-model row, each ref's whole history replayed at once."""
    histories: dict[tuple[str, str], list[Recorded]] = {}
    for c in changes:
        histories.setdefault((c.stream, c.ref), []).append(Recorded(c.position, dict(c.event)))
    found: dict[str, list[Row]] = {t.name: [] for model in READ_MODELS for t in model.tables}
    for (stream, ref), history in histories.items():
        subject = REPLAYS[stream](ref, history).subject()
        for model in READ_MODELS:
            if model.stream == stream:
                for name, rows in model.rows(subject).items():
                    found[name].extend(tuple(row) for row in rows)
    return {name: sorted(rows, key=repr) for name, rows in found.items()}


def _out_of_order(changes: Sequence[Change]) -> tuple[int, int]:
    """How many events are backdated (dated before an earlier one of their ref) and how many
    are retractions."""
    latest: dict[str, str] = {}
    backdated = 0
    for c in changes:
        on = str(c.event["on"])
        backdated += on < latest.get(c.ref, on)
        latest[c.ref] = max(latest.get(c.ref, on), on)
    return backdated, sum(c.event["type"] == "EventRetracted" for c in changes)


@pytest.mark.parametrize(
    ("sample", "batch_size", "kept"),
    [
        ("edge-2017-2025", 1, None),
        ("edge-2017-2025", 13, None),
        ("edge-2017-2025", 13, 20),
        ("moss-2023", 97, None),
    ],
)
def test_small_batches_from_two_processes_give_the_rows_of_a_replay_from_the_start(
    sample: str,
    batch_size: int,
    kept: int | None,
    two_stores: tuple[ReadStore, ReadStore],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if kept is not None:  # most replays are dropped and their refs replayed from the start
        monkeypatch.setattr(runner, "KNOWN_REFS", kept)
    full = ListChangeSource.everything_in(JsonlChangeSource(SAMPLES / f"{sample}.jsonl"))
    backdated, retractions = _out_of_order(full.changes)
    assert backdated > 0
    assert retractions > 0 or sample == "moss-2023"
    first, second = two_stores
    total = len(full.changes)
    # Mostly the first process; now and then the second takes a few batches, so that each
    # finds the rows the other wrote and its own replays outdated.
    cuts = [*range(total // 9, total, total // 9), total]
    for i, cut in enumerate(cuts):
        catch_up(full.prefix(cut), second if i % 3 == 2 else first, batch_size=batch_size)

    assert _table_rows(first) == _replayed_from_the_start(full.changes)
    wanted = [e for e in expectations() if e.sample == sample]
    assert {e.id: compute(first, e.kind, e.argument) for e in wanted} == {
        e.id: e.expected() for e in wanted
    }


class Spy:
    """Which refs' histories were read back, and which statements were run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.history_refs: list[str] = []
        self.statements: list[tuple[str, int]] = []
        histories, execute, executemany = (
            event_log.histories,
            Transaction.execute,
            Transaction.executemany,
        )

        def spy_histories(tx: Transaction, stream: str, refs: Any) -> Any:
            refs = list(refs)
            self.history_refs.extend(refs)
            return histories(tx, stream, refs)

        def spy_execute(tx: Transaction, statement: str, params: Any = ()) -> None:
            self.statements.append((statement, 1))
            execute(tx, statement, params)

        def spy_executemany(tx: Transaction, statement: str, rows: Any) -> None:
            self.statements.append((statement, len(rows)))
            executemany(tx, statement, rows)

        monkeypatch.setattr(event_log, "histories", spy_histories)
        monkeypatch.setattr(Transaction, "execute", spy_execute)
        monkeypatch.setattr(Transaction, "executemany", spy_executemany)

    def reset(self) -> None:
        self.history_refs.clear()
        self.statements.clear()

    def rows_written(self, table: str) -> dict[str, int]:
        """Rows inserted, updated and deleted in the table, by statement kind."""
        counts = {"INSERT": 0, "UPDATE": 0, "DELETE": 0}
        for statement, n in self.statements:
            kind = statement.split()[0]
            if kind in counts and f" {table} " in f" {statement} ".replace("(", " "):
                counts[kind] += n
        return counts


def _long_case(days: int) -> Story:
    story = Story()
    story.opened("C1", "2023-01-02", situation="rough")
    story.approved("C1", "2023-01-02", "2023-01-03")
    story.case("C1", "TemporaryStayStarted", "2023-01-04", stay="S1", kind="shelter")
    for n in range(days):
        day = f"2023-{2 + n // 28:02d}-{1 + n % 28:02d}"
        story.case("C1", "FollowUpLogged", day, team="t1", kind="phone", minutes=10 + n)
    return story


def test_an_event_in_order_continues_the_replay_and_writes_only_the_changed_rows(
    store: ReadStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = _long_case(200)
    story.load(store)
    spy = Spy(monkeypatch)

    story.case("C1", "FollowUpLogged", "2023-12-01", team="t1", kind="home_visit", minutes=30)
    story.load(store)

    assert spy.history_refs == []
    assert spy.rows_written("rm_follow_up_contacts") == {"INSERT": 1, "UPDATE": 0, "DELETE": 0}
    assert spy.rows_written("rm_stays") == {"INSERT": 0, "UPDATE": 0, "DELETE": 0}
    assert spy.rows_written("rm_case_activity_days") == {"INSERT": 1, "UPDATE": 0, "DELETE": 0}

    spy.reset()
    story.case("C1", "TemporaryStayEnded", "2023-12-02", stay="S1")
    story.load(store)

    assert spy.history_refs == []
    assert spy.rows_written("rm_stays") == {"INSERT": 0, "UPDATE": 1, "DELETE": 0}
    assert spy.rows_written("rm_follow_up_contacts") == {"INSERT": 0, "UPDATE": 0, "DELETE": 0}
    changes = ListChangeSource.of_events(story.events).changes
    assert _table_rows(store) == _replayed_from_the_start(changes)


def test_a_backdated_event_or_a_retraction_replays_the_case_from_the_start(
    store: ReadStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = _long_case(30)
    story.opened("C2", "2023-01-05")
    story.load(store)
    spy = Spy(monkeypatch)

    story.case("C1", "FollowUpLogged", "2023-01-10", team="t1", kind="phone", minutes=5)
    story.case("C2", "SituationChanged", "2023-03-01", situation="friends")
    story.load(store)

    assert spy.history_refs == ["C1"]
    changes = ListChangeSource.of_events(story.events).changes
    assert _table_rows(store) == _replayed_from_the_start(changes)

    spy.reset()
    first_follow_up = next(e["id"] for e in story.events if e["type"] == "FollowUpLogged")
    story.case("C1", "EventRetracted", "2023-09-01", target=first_follow_up)
    story.load(store)

    assert spy.history_refs == ["C1"]
    changes = ListChangeSource.of_events(story.events).changes
    assert _table_rows(store) == _replayed_from_the_start(changes)


def test_a_cold_catch_up_reads_back_only_histories_with_a_backdated_event(
    store: ReadStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(monkeypatch)
    full = ListChangeSource.everything_in(JsonlChangeSource(SAMPLES / "moss-2023.jsonl"))
    latest: dict[str, str] = {}
    backdated: set[str] = set()
    for c in full.changes:
        on = str(c.event["on"])
        if on < latest.get(c.ref, on):
            backdated.add(c.ref)
        latest[c.ref] = max(latest.get(c.ref, on), on)

    catch_up(full, store, batch_size=500)

    assert backdated and set(spy.history_refs) <= backdated
    assert len(spy.history_refs) < len(backdated)


def test_the_rows_of_new_cases_are_inserted_without_deleting_anything(
    store: ReadStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = _long_case(3)
    story.load(store)
    spy = Spy(monkeypatch)
    for ref in ("C2", "C3"):
        story.opened(ref, "2023-04-01")
        story.approved(ref, "2023-04-01", "2023-04-02")

    story.load(store)

    assert spy.history_refs == []
    assert not any(statement.startswith("DELETE") for statement, _ in spy.statements)
    assert spy.rows_written("rm_waitlist_memberships")["INSERT"] == 2
