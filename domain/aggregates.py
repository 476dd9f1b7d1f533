"""The one way a command loads cases and dwellings: replayed from their stored events.

`get` replays one aggregate, `current` many at once (one query for their events, on a
connection the caller holds open); both read through the recorder, so inside an import's bulk
session they see the session's own uncommitted events. Neither goes through the library's
aggregate cache (`repository.get`), which could otherwise keep events of an import that was
rolled back. Queries read cases through `CaseCache` instead (domain/case_cache.py): a shared,
read-only copy kept in memory and brought up to date on every read.

Saving has one way too: `Boligspor.save(*events, index_rows=..., key_rows=..., search_rows=...)`,
which the
group commit and the import both call (the recorders in domain/sqlite_recorder.py and
domain/postgres_recorder.py write the extra rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, cast

from eventsourcing.persistence import EventStore, Mapper, StoredEvent

from domain.base import TextAggregate
from domain.case import Case
from domain.dwelling import Dwelling
from domain.keystore import KeyStore
from domain.search_index import SearchIndex
from domain.storage import Sql

QueryFn = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]
Aggregate = Case | Dwelling


class Store(Protocol):
    """What a unit of work, the group commit and the import need of the application."""

    @property
    def keys(self) -> KeyStore: ...

    @property
    def aggregates(self) -> Aggregates: ...

    @property
    def search_index(self) -> SearchIndex: ...

    def save(self, *objs: Any, **kwargs: Any) -> Any: ...


class Query:
    """`Sql.query` on a cursor already open: `?` placeholders on both databases."""

    def __init__(self, cursor: Any, postgres: bool) -> None:
        self.cursor = cursor
        self.postgres = postgres

    def __call__(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.cursor.execute(
            statement.replace("?", "%s") if self.postgres else statement, list(params)
        )
        return [
            tuple(row.values()) if isinstance(row, dict) else tuple(row)
            for row in self.cursor.fetchall()
        ]


def chunks(values: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


class Aggregates:
    """Cases and dwellings as stored, and which event ids and streams the store holds."""

    def __init__(
        self, events: EventStore[str], mapper: Mapper[str], sql: Sql, events_table: str
    ) -> None:
        self.events = events
        self.mapper = mapper
        self.sql = sql
        self.events_table = events_table

    def get(self, stream: str) -> Any:
        """The aggregate of this stream replayed from its events; None if it has none."""
        aggregate: Any = None
        for event in self.events.get(stream):
            aggregate = cast(TextAggregate.Event, event).mutate(aggregate)
        return aggregate

    @contextmanager
    def reading(self) -> Iterator[QueryFn]:
        """Queries on one connection: on PostgreSQL each query on its own is a pool checkout
        with a pre-ping round trip."""
        with self.sql.datastore.transaction(commit=False) as cursor:
            yield Query(cursor, self.sql.postgres)

    def current(
        self,
        query: QueryFn,
        ids: Sequence[str],
        held: Callable[[str, int], Aggregate | None],
    ) -> dict[str, Aggregate]:
        """The stored aggregates among `ids` as they stand: those `held` in memory at their
        stored version, the others replayed from their events read in one query."""
        table = self.sql.table(self.events_table)
        versions: dict[str, int] = {}
        for chunk in chunks(ids):
            marks = ", ".join("?" for _ in chunk)
            versions.update(
                (str(aggregate_id), int(version))
                for aggregate_id, version in query(
                    f"SELECT originator_id, MAX(originator_version) FROM {table}"
                    f" WHERE originator_id IN ({marks}) GROUP BY originator_id",
                    chunk,
                )
            )
        found: dict[str, Aggregate] = {}
        for aggregate_id, version in versions.items():
            kept = held(aggregate_id, version)
            if kept is not None:
                found[aggregate_id] = kept
        missing = sorted(versions.keys() - found.keys())
        for chunk in chunks(missing):
            marks = ", ".join("?" for _ in chunk)
            rows = query(
                f"SELECT originator_id, originator_version, topic, state FROM {table}"
                f" WHERE originator_id IN ({marks}) ORDER BY originator_id, originator_version",
                chunk,
            )
            for aggregate_id, version, topic, state in rows:
                name = str(aggregate_id)
                stored = StoredEvent(name, int(version), str(topic), bytes(state))
                event: Any = self.mapper.to_domain_event(stored)
                found[name] = event.mutate(found.get(name))
        return found

    def lookup_ids(self, event_ids: Sequence[str], query: QueryFn | None = None) -> dict[str, str]:
        """Which of these event ids are stored, and in which aggregate."""
        query = query or self.sql.query
        found: dict[str, str] = {}
        table = self.sql.table("event_index")
        for chunk in chunks(event_ids):
            marks = ", ".join("?" for _ in chunk)
            for event_id, stream in query(
                f"SELECT event_id, stream FROM {table} WHERE event_id IN ({marks})", chunk
            ):
                found[str(event_id)] = str(stream)
        return found

    def existing_streams(self, streams: Sequence[str], query: QueryFn | None = None) -> set[str]:
        """Which of these aggregates have events stored."""
        query = query or self.sql.query
        found: set[str] = set()
        table = self.sql.table("event_index")
        for chunk in chunks(streams):
            marks = ", ".join("?" for _ in chunk)
            rows = query(f"SELECT DISTINCT stream FROM {table} WHERE stream IN ({marks})", chunk)
            found.update(str(row[0]) for row in rows)
        return found
