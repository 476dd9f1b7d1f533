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
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError, OperationalError

from domain.case import case_id
from domain.dwelling import dwelling_id
from domain.errors import DomainError, InvalidEvent, StoreUnavailable
from domain.records import EventRecord, parse_event, parse_line
from domain.storage import IndexedPostgresRecorder, IndexedSQLiteRecorder
from domain.unit_of_work import STORED, UnitOfWork

if TYPE_CHECKING:
    from domain.application import Boligspor, Refusal

CHUNK_LINES = 5_000
CACHE_EVENTS = 50_000  # stored events of the aggregates kept in memory between chunks
SESSION_ATTEMPTS = 10

Line = tuple[int, str | dict[str, Any]]


@dataclass
class Imported:
    """What an import stored, counted (a file may hold millions of events)."""

    stored: int = 0
    duplicates: int = 0


def chunks(lines: Iterable[Line], size: int) -> Iterator[list[Line]]:
    iterator = iter(lines)
    while chunk := list(islice(iterator, size)):
        yield chunk


def import_lines(
    app: Boligspor,
    lines: Iterable[Line],
    *,
    default_by: str,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
    chunk_lines: int = CHUNK_LINES,
    cache_events: int = CACHE_EVENTS,
) -> Imported:
    """Store every line or none: raise Refused listing each refused line with its reason."""
    from domain.application import Refused

    session = _open_session(app)
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


def _open_session(app: Boligspor) -> ExitStack:
    """The recorder's bulk session, entered; a few tries while another writer holds the lock."""
    recorder = app.recorder
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
    app: Boligspor,
    work: UnitOfWork,
    chunk: list[Line],
    refusals: list[Refusal],
    result: Imported,
) -> None:
    """Decide one chunk on top of the earlier ones and insert its events into the session.

    A refused line changes nothing; the chunk's other lines are still inserted, so that the
    lines after it are decided as `submit` decides them (the session is rolled back anyway).
    """
    from domain.application import Refusal, _id_of

    today = app.today(work.now)
    districts = app.municipality.district_codes
    records: list[tuple[int, EventRecord]] = []
    for number, raw in chunk:
        try:
            obj = parse_line(raw) if isinstance(raw, str) else raw
            records.append((number, parse_event(obj, today=today, districts=districts)))
        except InvalidEvent as error:
            refusals.append(Refusal(number, _id_of(raw), error.message, error.code))
    streams = {case_id(r.ref) if r.stream == "case" else dwelling_id(r.ref) for _, r in records}
    unknown = sorted(s for s in streams if not work.holds(s))
    work.begin_chunk(
        stored_ids=app.lookup_ids([r.id for _, r in records]),
        existing=app.existing_streams(unknown),
        checked=set(unknown),
    )
    for number, record in records:
        try:
            outcome = work.submit(number, record)
        except DomainError as error:
            refusals.append(Refusal(number, record.id, error.message, error.code))
            continue
        if outcome == STORED:
            result.stored += 1
        else:
            result.duplicates += 1
    events, index_rows, key_rows = work.take_pending()
    if events:
        app.events.put(events, index_rows=index_rows, key_rows=key_rows)
