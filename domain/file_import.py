"""Importing a whole file as one command: every line stored or none, in bounded memory.

The lines are read a chunk at a time. Each chunk is decided on top of the ones before it and
its events are inserted into one transaction held open on one connection for the whole file
(`recorder.bulk()`), so a later chunk's reads see the earlier chunks' events without a commit.
The transaction commits once at the end, or is rolled back when any line was refused: nothing
of the file is stored then. Between chunks only the aggregates written last stay in memory.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any, Protocol

from eventsourcing.persistence import IntegrityError, OperationalError

from domain.aggregates import Store
from domain.case import case_id
from domain.dwelling import dwelling_id
from domain.errors import DomainError, StoreUnavailable
from domain.municipality import Municipality
from domain.postgres_recorder import IndexedPostgresRecorder
from domain.sqlite_recorder import IndexedSQLiteRecorder
from domain.submissions import Line, Refusal, Refused, parse_lines
from domain.unit_of_work import STORED, UnitOfWork

CHUNK_LINES = 5_000
CACHE_EVENTS = 50_000  # stored events of the aggregates kept in memory between chunks
SESSION_ATTEMPTS = 10


@dataclass
class Imported:
    """What an import stored, counted (a file may hold millions of events)."""

    stored: int = 0
    duplicates: int = 0


def chunks(lines: Iterable[Line], size: int) -> Iterator[list[Line]]:
    iterator = iter(lines)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Importer(Store, Protocol):
    """What an import needs of the application, besides what a unit of work needs."""

    @property
    def recorder(self) -> Any: ...

    @property
    def municipality(self) -> Municipality: ...

    def today(self, now: datetime | None = None) -> date: ...


def import_lines(
    app: Importer,
    lines: Iterable[Line],
    *,
    default_by: str,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
    chunk_lines: int = CHUNK_LINES,
    cache_events: int = CACHE_EVENTS,
) -> Imported:
    """Store every line or none: raise Refused listing each refused line with its reason."""
    session = _open_session(app.recorder)
    refusals: list[Refusal] = []
    result = Imported()
    with session:
        try:
            work = UnitOfWork(
                app,
                now=now,
                default_by=default_by,
                stored_ids={},
                existing=set(),
                checked=set(),
                cache_events=cache_events,
            )
            done = 0
            for chunk in chunks(lines, chunk_lines):
                _import_chunk(app, work, chunk, refusals, result)
                done += len(chunk)
                if progress is not None:
                    progress(done, 0)
            if refusals:
                raise Refused(sorted(refusals, key=lambda r: r.line))
        except IntegrityError as error:
            raise StoreUnavailable("another writer changed the store; try again") from error
        except OperationalError as error:
            raise StoreUnavailable("the database is busy or unreachable; try again") from error
    return result


def _open_session(recorder: Any) -> ExitStack:
    """The recorder's bulk session, entered; a few tries while another writer holds the lock."""
    assert isinstance(recorder, IndexedSQLiteRecorder | IndexedPostgresRecorder)
    for attempt in range(SESSION_ATTEMPTS):
        stack = ExitStack()
        try:
            stack.enter_context(recorder.bulk())
        except OperationalError:
            stack.close()
            time.sleep(random.uniform(0, min(0.05 * 2**attempt, 1.0)))  # noqa: S311
            continue
        return stack
    raise StoreUnavailable("the database is busy; try again")


def _import_chunk(
    app: Importer,
    work: UnitOfWork,
    chunk: list[Line],
    refusals: list[Refusal],
    result: Imported,
) -> None:
    """Decide one chunk on top of the earlier ones and insert its events into the session.

    A refused line changes nothing; the chunk's other lines are still inserted, so that the
    lines after it are decided as `submit` decides them (the session is rolled back anyway).
    Inserted the one way every write is saved (`save`, with the index rows and new keys);
    inside the bulk session the insert joins its transaction, committed at the end.
    """
    districts = app.municipality.district_codes
    records, invalid = parse_lines(chunk, today=app.today(work.now), districts=districts)
    refusals += invalid
    streams = {case_id(r.ref) if r.stream == "case" else dwelling_id(r.ref) for _, r in records}
    unknown = sorted(s for s in streams if not work.holds(s))
    work.begin_chunk(
        stored_ids=app.aggregates.lookup_ids([r.id for _, r in records]),
        existing=app.aggregates.existing_streams(unknown),
        checked=set(unknown),
    )
    for number, record in records:
        try:
            outcome = work.submit(number, record)
        except DomainError as error:
            refusals.append(Refusal(number, record.id, error.message, error.code, error))
            continue
        if outcome == STORED:
            result.stored += 1
        else:
            result.duplicates += 1
    events, index_rows, key_rows, search_rows = work.take_pending()
    if events:
        app.save(*events, index_rows=index_rows, key_rows=key_rows, search_rows=search_rows)
