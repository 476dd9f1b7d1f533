"""The Boligspor application: the service layer over the event store."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import random
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    JSONTranscoder,
    OperationalError,
    StoredEvent,
)

from domain import file_import, sealing, store_faults
from domain.case import Case, CaseEntry, case_id
from domain.case_cache import CaseCache
from domain.changes import Change
from domain.dwelling import Dwelling, dwelling_id
from domain.errors import (
    DomainError,
    DuplicateConflict,
    InvalidEvent,
    StoreReadOnly,
    StoreUnavailable,
    UnknownCase,
    WrongKeys,
)
from domain.key_check import KeyCheck
from domain.key_source import resolve_keys
from domain.keystore import KeyStore
from domain.municipality import municipality_of
from domain.records import EventRecord, parse_event, parse_line
from domain.storage import DateAsISO, Sql
from domain.unit_of_work import DUPLICATE, STORED, UnitOfWork, intervals_by_dwelling
from settings import Settings, parse_database_url

Clock = Callable[[], datetime]
QueryFn = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]
RETRIES = 40
# Queries keep up to this many case entries in memory (~1.1 KiB each with the history items
# built from them: ~55 MiB per process), and store a case's snapshot when a read finds this
# many events after its last one.
CASE_CACHE_ENTRIES = 50_000
SNAPSHOT_EVERY = 100
WRITE_TURN_WAIT = 3.0  # seconds a request waits for its process's turn to write
GROUP_RECORDS = 1000  # a group takes waiting submissions up to this many lines (at least one)
RECENT_AGGREGATES = 2000  # aggregates the leading thread keeps as the last groups saved them
# Writers are serialised by the store anyway (PostgreSQL's table lock, SQLite's one writer);
# taking the turn in the process first means threads of one process never collide, and only
# writers in other processes need the optimistic retry below.
_WRITE_TURNS: dict[str, threading.Lock] = {}
_TURNS_GUARD = threading.Lock()


def write_turn(database_url: str) -> threading.Lock:
    with _TURNS_GUARD:
        return _WRITE_TURNS.setdefault(database_url, threading.Lock())


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Refusal:
    """A refused line: its number in the submission, its event id and why."""

    line: int
    event_id: str | None
    message: str
    code: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.event_id})" if self.event_id else "")
        return f"{where}: {self.message}"


class Refused(DomainError):
    """Raised when any line of a submission is refused; nothing of it was stored."""

    code = "refused"

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        super().__init__("; ".join(str(r) for r in refusals))
        self.refusals = list(refusals)


@dataclass
class Submitted:
    """What a submission stored: new event ids and ids already stored with the same content."""

    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryItem:
    """One entry of a case's timeline as a person reads it."""

    record: EventRecord
    recorded_at: datetime
    retracted_by: str | None
    retraction_reason: str | None
    erased: bool


def library_environment(settings: Settings, payload_key: str) -> dict[str, str]:
    """The eventsourcing library's configuration, built explicitly from our settings."""
    target = parse_database_url(settings.database_url)
    env = {
        "ORIGINATOR_ID_TYPE": "text",
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
        "CIPHER_KEY": payload_key,
    }
    if target.kind == "sqlite":
        assert target.sqlite_path is not None
        target.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        if str(target.sqlite_path) != ":memory:":
            if os.statvfs(target.sqlite_path.parent).f_flag & os.ST_RDONLY:
                # SQLite itself says only "unable to open database file".
                raise StoreReadOnly(store_faults.MESSAGES[StoreReadOnly])
            _create_private(target.sqlite_path)
        env.update(
            PERSISTENCE_MODULE="eventsourcing.sqlite",
            SQLITE_DBNAME=str(target.sqlite_path),
            SQLITE_LOCK_TIMEOUT="10",
            APPLICATION_RECORDER_TOPIC="domain.storage:IndexedSQLiteRecorder",
        )
    else:
        env.update(
            PERSISTENCE_MODULE="eventsourcing.postgres",
            POSTGRES_DBNAME=target.dbname,
            POSTGRES_HOST=target.host,
            POSTGRES_PORT=str(target.port),
            POSTGRES_USER=target.user,
            POSTGRES_PASSWORD=target.password,
            POSTGRES_SCHEMA=target.schema or "public",
            POSTGRES_LOCK_TIMEOUT="1",  # x 10 library retries: a stuck lock fails in ~12 s
            POSTGRES_CONNECT_TIMEOUT="5",
            POSTGRES_POOL_SIZE="4",
            POSTGRES_MAX_OVERFLOW="8",
            POSTGRES_PRE_PING="y",
            # The library's default (5 s) cut a 200,000-event import off mid-transaction: the
            # Python work of encoding its rows sits between two statements of one transaction.
            POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT="120",
            APPLICATION_RECORDER_TOPIC="domain.storage:IndexedPostgresRecorder",
        )
        if target.schema:
            _create_schema(target.conninfo, target.schema)
    return env


def _create_private(path: Path) -> None:
    """Create the SQLite file 0600 like the key file (its -wal and -shm files take its mode)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _create_schema(conninfo: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')


class Boligspor(Application[str]):
    """Cases and dwellings: commands decide against the history, queries read it back."""

    name = "boligspor"

    def __init__(self, settings: Settings, *, clock: Clock = utc_now) -> None:
        payload_key, master = resolve_keys(settings)
        super().__init__(library_environment(settings, payload_key))
        self.settings = settings
        self.municipality = municipality_of(settings)
        self.clock = clock
        self.zone = ZoneInfo(settings.timezone)
        self.sql = Sql(self.recorder)
        self.keys = KeyStore(self.sql, master)
        cipher = self.mapper.cipher
        assert cipher is not None  # CIPHER_KEY is always set
        events_table = getattr(self.recorder, "events_table_name", "stored_events")
        try:
            KeyCheck(self.sql, events_table, cipher.encrypt, cipher.decrypt, master).ensure(clock())
        except WrongKeys:
            self.close()
            raise
        self._submissions = _Submissions()
        # Told the size of each stored group (submissions, event lines), e.g. by the metrics.
        self.group_stored: list[Callable[[int, int], None]] = []
        self.case_snapshots: EventStore[str] = self.factory.event_store(
            mapper=self.mapper, recorder=self.factory.aggregate_recorder(purpose="snapshots")
        )
        self.cases = CaseCache(
            self.events,
            self.case_snapshots,
            max_entries=CASE_CACHE_ENTRIES,
            snapshot_every=SNAPSHOT_EVERY,
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def today(self, now: datetime | None = None) -> date:
        return (now or self.clock()).astimezone(self.zone).date()

    # --- commands --------------------------------------------------------------------------------

    def submit(
        self,
        lines: Iterable[tuple[int, str | dict[str, Any]]],
        *,
        default_by: str = "import",
        now: datetime | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Submitted:
        """Store every line or none: raise Refused listing each refused line with its reason.

        Submissions made at once by threads of this process are stored together (group
        commit): one thread decides each of them in turn, on the state the ones before it
        leave, and saves the accepted ones in one transaction. Each caller gets its own
        answer, and only after that transaction has committed.
        """
        now = now or self.clock()
        today = self.today(now)
        refusals: list[Refusal] = []
        records: list[tuple[int, EventRecord]] = []
        districts = self.municipality.district_codes
        for number, raw in lines:
            try:
                obj = parse_line(raw) if isinstance(raw, str) else raw
                records.append((number, parse_event(obj, today=today, districts=districts)))
            except InvalidEvent as error:
                refusals.append(Refusal(number, _id_of(raw), error.message, error.code))
        if not records:
            if refusals:
                raise Refused(refusals)
            return Submitted()
        pending = _Pending(records, refusals, now, default_by, progress)
        self._submissions.wait_or_lead(pending, self._store_groups)
        if isinstance(pending.outcome, BaseException):
            raise pending.outcome
        assert pending.outcome is not None
        return pending.outcome

    def _store_groups(self, pending: _Pending) -> None:
        """As the leading thread: store groups of waiting submissions until `pending`'s."""
        while pending.outcome is None:
            group = self._submissions.take_group()
            if not group:
                return
            try:
                self._store_group(group)
            except Exception as error:  # e.g. the store lost while reading: the group's answer
                for member in group:
                    if member.outcome is None:
                        member.outcome = error
            finally:
                # Interrupted (KeyboardInterrupt, SystemExit): nobody may wait forever.
                _answer_all(
                    [m for m in group if m.outcome is None], "the write was interrupted; try again"
                )
                self._submissions.answered(group)

    def _store_group(self, group: list[_Pending]) -> None:
        """Decide and save one group, answering every member (never before the commit)."""
        turn = write_turn(self.settings.database_url)
        for attempt in range(RETRIES):
            # A bounded wait for the turn: behind a stuck database, the k-th waiting request
            # must not wait k times the store's own lock timeout before it hears 503.
            if not turn.acquire(timeout=WRITE_TURN_WAIT):
                _answer_all(group, "the database is busy; try again")
                return
            try:
                outcomes = self._decide_and_save(group)
            except StoreUnavailable as error:
                _answer_all(group, str(error), error.__cause__)
                return
            finally:
                turn.release()
            if outcomes is not None:
                for member, outcome in zip(group, outcomes, strict=True):
                    member.outcome = outcome
                lines = sum(len(member.records) for member in group)
                for listener in self.group_stored:
                    listener(len(group), lines)
                return
            # Another process's writer got there first: decide again on fresh state, after
            # a fully jittered, growing pause so that racing writers spread out.
            time.sleep(random.uniform(0, min(0.005 * 2**attempt, 1.0)))  # noqa: S311
        _answer_all(group, "too many concurrent changes to the same case; try again")

    def _decide_and_save(self, group: list[_Pending]) -> list[Submitted | BaseException] | None:
        """Decide every submission of the group on fresh state, each after the ones before
        it, and save the accepted ones in one transaction; None when another process's
        writer won the race (nothing was saved, and every answer must be decided again)."""
        records = [record for member in group for _, record in member.records]
        streams = {case_id(r.ref) if r.stream == "case" else dwelling_id(r.ref) for r in records}
        recent = self._submissions.recent
        # Every read ahead on one connection: on PostgreSQL each query on its own is a pool
        # checkout with a pre-ping round trip.
        with self.sql.datastore.transaction(commit=False) as cursor:
            query = _Query(cursor, self.sql.postgres)
            stored_ids = self._lookup_ids(query, [r.id for r in records])
            existing = self._existing_streams(query, sorted(streams))
            shared = _Decided(stored_ids, existing, streams, recent)
            shared.keys.update(self._usable_keys(query, sorted(streams)))
            shared.ready = self._current(query, sorted(existing), recent)
            settled_in = {
                dwelling_id(ref)
                for aggregate in shared.ready.values()
                if isinstance(aggregate, Case)
                for ref in intervals_by_dwelling(aggregate.state())
            }
            shared.ready.update(
                self._current(query, sorted(settled_in - shared.ready.keys()), recent)
            )
        outcomes: list[Submitted | BaseException] = []
        events: list[Any] = []
        index_rows: list[tuple[str, str, int]] = []
        key_rows: list[tuple[str, bytes, str]] = []
        for member in group:
            work = _GroupWork(self, shared, now=member.now, default_by=member.default_by)
            try:
                outcome = _decide(work, member)
            except Exception as error:  # answered to this submission alone; nothing kept
                outcomes.append(error)
                continue
            shared.accept(work)
            events += work.events
            index_rows += work.index_rows
            key_rows += work.key_rows
            outcomes.append(outcome)
        # Kept for the next groups: what the accepted submissions left, and what was read
        # ahead but handed to none.
        committed = [*shared.ready.values(), *shared.cases.values(), *shared.dwellings.values()]
        if not events:  # duplicates (or refusals) only: the accepted ones changed nothing
            recent.keep(committed)
            return outcomes
        try:
            self.save(*events, index_rows=index_rows, key_rows=key_rows)
        except IntegrityError:
            return None
        except OperationalError as error:
            raise StoreUnavailable("the database is busy or unreachable; try again") from error
        recent.keep(committed)
        return outcomes

    def import_lines(
        self,
        lines: Iterable[tuple[int, str | dict[str, Any]]],
        *,
        default_by: str = "import",
        now: datetime | None = None,
        progress: Callable[[int, int], None] | None = None,
        chunk_lines: int = file_import.CHUNK_LINES,
    ) -> file_import.Imported:
        """Store every line or none, as `submit` does, reading the lines a chunk at a time in
        one transaction: memory is bounded by a chunk and a cache, not by the file."""
        now = now or self.clock()
        turn = write_turn(self.settings.database_url)
        if not turn.acquire(timeout=WRITE_TURN_WAIT):
            raise StoreUnavailable("the database is busy; try again")
        try:
            return file_import.import_lines(
                self,
                lines,
                default_by=default_by,
                now=now,
                progress=progress,
                chunk_lines=chunk_lines,
            )
        finally:
            turn.release()

    def erase_case(self, ref: str, *, reason: str, by: str) -> None:
        """Crypto-shred a case's personal data: its key is destroyed, its history stays."""
        self.get_case(ref)
        self.keys.destroy(case_id(ref), by=by, reason=reason, now=self.clock())

    def restrict_case(self, ref: str, *, reason: str, by: str) -> None:
        """Sperring: only admins may read the case from now on."""
        self.get_case(ref)
        table = self.sql.table("case_restrictions")
        if not self.sql.query(f"SELECT 1 FROM {table} WHERE case_ref = ?", [ref]):
            self.sql.execute(
                f"INSERT INTO {table} (case_ref, restricted_at, restricted_by, reason)"
                " VALUES (?, ?, ?, ?)",
                [ref, self.clock().isoformat(), by, reason],
            )

    def is_restricted(self, ref: str) -> bool:
        table = self.sql.table("case_restrictions")
        return bool(self.sql.query(f"SELECT 1 FROM {table} WHERE case_ref = ?", [ref]))

    # --- queries ---------------------------------------------------------------------------------

    def lookup_ids(self, event_ids: Sequence[str]) -> dict[str, str]:
        """Which of these event ids are stored, and in which aggregate."""
        return self._lookup_ids(self.sql.query, event_ids)

    def _lookup_ids(self, query: QueryFn, event_ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        table = self.sql.table("event_index")
        for chunk in _chunks(event_ids):
            marks = ", ".join("?" for _ in chunk)
            for event_id, stream in query(
                f"SELECT event_id, stream FROM {table} WHERE event_id IN ({marks})", chunk
            ):
                found[str(event_id)] = str(stream)
        return found

    def _current(
        self, query: QueryFn, ids: Sequence[str], recent: _Recent
    ) -> dict[str, Case | Dwelling]:
        """The stored aggregates among `ids` as they stand: those kept from earlier groups
        that nothing was stored for since, the others read back in one query."""
        recorder: Any = self.recorder  # either backend's, both name their events table
        table = self.sql.table(recorder.events_table_name)
        versions: dict[str, int] = {}
        for chunk in _chunks(ids):
            marks = ", ".join("?" for _ in chunk)
            versions.update(
                (str(aggregate_id), int(version))
                for aggregate_id, version in query(
                    f"SELECT originator_id, MAX(originator_version) FROM {table}"
                    f" WHERE originator_id IN ({marks}) GROUP BY originator_id",
                    chunk,
                )
            )
        found: dict[str, Case | Dwelling] = {}
        for aggregate_id, version in versions.items():
            held = recent.take(aggregate_id, version)
            if held is not None:
                found[aggregate_id] = held
        missing = sorted(versions.keys() - found.keys())
        for chunk in _chunks(missing):
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

    def _usable_keys(self, query: QueryFn, streams: Sequence[str]) -> dict[str, bytes | None]:
        """The key of each stream that has one, and None for each that has none and was never
        erased, in one query (a unit of work asks stream by stream). Erased streams are left
        out: the unit of work finds them and refuses."""
        found: dict[str, bytes | None] = dict.fromkeys(streams)
        for stream, key in self.keys.lookup(streams, query).items():
            if key is None:
                del found[stream]
            else:
                found[stream] = key
        return found

    def existing_streams(self, streams: Sequence[str]) -> set[str]:
        """Which of these aggregates have events stored."""
        return self._existing_streams(self.sql.query, streams)

    def _existing_streams(self, query: QueryFn, streams: Sequence[str]) -> set[str]:
        found: set[str] = set()
        table = self.sql.table("event_index")
        for chunk in _chunks(streams):
            marks = ", ".join("?" for _ in chunk)
            rows = query(f"SELECT DISTINCT stream FROM {table} WHERE stream IN ({marks})", chunk)
            found.update(str(row[0]) for row in rows)
        return found

    def get_case(self, ref: str) -> Case:
        """The case as stored now, for reading: it may be shared with other readers (commands
        load their own copy through `repository`)."""
        try:
            case = self.cases.get(case_id(ref))
        except AggregateNotFoundError:
            raise UnknownCase(f"case {ref} does not exist") from None
        return case

    def get_dwelling(self, ref: str) -> Dwelling | None:
        try:
            dwelling: Dwelling = self.repository.get(dwelling_id(ref))
        except AggregateNotFoundError:
            return None
        return dwelling

    def case_history(self, ref: str) -> list[HistoryItem]:
        """The case's timeline in recording order, personal fields opened (or marked erased).

        Items without personal fields are built once per version of the case and shared;
        sealed ones are opened on every call with the key as it is now.
        """
        try:
            case, memo = self.cases.read(case_id(ref))
        except AggregateNotFoundError:
            raise UnknownCase(f"case {ref} does not exist") from None
        public: list[HistoryItem | None] | None = memo.get("history")
        if public is None:
            public = _public_items(case, ref, memo.get("previous", {}).get("history"))
            memo["history"] = public
            memo.pop("previous", None)
        key = self.keys.get(case_id(ref))
        return [
            item if item is not None else _history_item(case, ref, entry, key)
            for entry, item in zip(case.history, public, strict=True)
        ]

    def case_person(self, ref: str) -> dict[str, Any]:
        """The household's contact person as last opened; erased cases give the erased mark."""
        case = self.get_case(ref)
        opened = case.history[0]
        return dict(
            sealing.unseal(self.keys.get(case_id(ref)), opened.event_id, opened.sealed).get(
                "person", {}
            )
        )

    def read_changes(self, after: int, limit: int) -> tuple[list[Change], int]:
        """Public changes after a position, scanning at most `limit` notifications."""
        notifications = self.recorder.select_notifications(after, limit, inclusive_of_start=False)
        changes: list[Change] = []
        last = after
        for notification in notifications:
            last = notification.id
            event = self.mapper.to_domain_event(notification)
            record = record_of(event, personal={})
            if record is not None:
                changes.append(Change(notification.id, record.stream, record.ref, record.to_json()))
        return changes, last

    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def export(self, case: str | None = None, batch: int = 2000) -> Iterator[dict[str, Any]]:
        """Every interchange event in recording order, personal fields opened or erased."""
        keys = self.keys.all()
        if case is not None:
            found = self.get_case(case)
            for entry in found.history:
                personal = sealing.unseal(keys.get(case_id(case)), entry.event_id, entry.sealed)
                yield entry.record(case, personal).to_json()
            return
        position = 0
        while True:
            notifications = self.recorder.select_notifications(
                position, batch, inclusive_of_start=False
            )
            if not notifications:
                return
            for notification in notifications:
                position = notification.id
                event = self.mapper.to_domain_event(notification)
                sealed = getattr(event, "sealed", None)
                event_id = getattr(event, "event_id", "")
                personal = sealing.unseal(keys.get(event.originator_id), event_id, sealed)
                record = record_of(event, personal=personal)
                if record is not None:
                    yield record.to_json()


@dataclass(eq=False)
class _Pending:
    """One submission waiting to be stored, and its answer once its group has been stored."""

    records: list[tuple[int, EventRecord]]
    refusals: list[Refusal]
    now: datetime
    default_by: str
    progress: Callable[[int, int], None] | None
    outcome: Submitted | BaseException | None = None
    taken: bool = False  # by a leading thread, which will answer it


class _Submissions:
    """The submissions of one application's threads waiting to be stored.

    One thread at a time leads: it takes the waiting submissions as a group, stores them and
    answers each; the others wait for their answer, or to lead the next group.
    """

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._waiting: deque[_Pending] = deque()
        self._leading = False
        self.recent = _Recent()

    def wait_or_lead(self, pending: _Pending, lead: Callable[[_Pending], None]) -> None:
        """Return once `pending` has its outcome: given by a leader, or by `lead` here."""
        deadline = time.monotonic() + WRITE_TURN_WAIT
        with self._ready:
            self._waiting.append(pending)
            while pending.outcome is None and (self._leading or pending.taken):
                if pending.taken:
                    self._ready.wait()
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    # Not taken yet: nothing of it is stored, and nobody will store it now.
                    self._waiting.remove(pending)
                    raise StoreUnavailable("the database is busy; try again")
                self._ready.wait(remaining)
            if pending.outcome is not None:
                return
            self._leading = True
        try:
            lead(pending)
        finally:
            with self._ready:
                self._leading = False
                self._ready.notify_all()

    def waiting(self) -> int:
        """How many submissions wait to be taken into a group."""
        with self._ready:
            return len(self._waiting)

    def take_group(self) -> list[_Pending]:
        """The waiting submissions in arrival order, up to GROUP_RECORDS lines (at least one)."""
        with self._ready:
            group: list[_Pending] = []
            size = 0
            while self._waiting and (
                not group or size + len(self._waiting[0].records) <= GROUP_RECORDS
            ):
                member = self._waiting.popleft()
                member.taken = True
                group.append(member)
                size += len(member.records)
            return group

    def answered(self, group: list[_Pending]) -> None:
        with self._ready:
            self._ready.notify_all()


class _Recent:
    """Cases and dwellings as the last groups saved them, least recently used dropped first.

    Only the leading thread uses it, one at a time. An aggregate is taken out to be used and
    put back only after a group holding it has committed, so one a refused submission or a
    failed save may have changed never comes back.
    """

    def __init__(self) -> None:
        self._held: OrderedDict[str, Case | Dwelling] = OrderedDict()

    def take(self, aggregate_id: str, version: int) -> Case | Dwelling | None:
        """The aggregate if it is the stored `version` (another process may have written)."""
        held = self._held.pop(aggregate_id, None)
        return held if held is not None and held.version == version else None

    def keep(self, aggregates: Iterable[Case | Dwelling | None]) -> None:
        for aggregate in aggregates:
            if aggregate is not None:
                self._held[aggregate.id] = aggregate
                self._held.move_to_end(aggregate.id)
        while len(self._held) > RECENT_AGGREGATES:
            self._held.popitem(last=False)


class _Decided:
    """What the store held when a group began, and what its accepted submissions left for
    the submissions after them: their aggregates, keys and event ids."""

    def __init__(
        self, stored_ids: dict[str, str], existing: set[str], checked: set[str], recent: _Recent
    ):
        self.recent = recent
        self.ready: dict[str, Case | Dwelling] = {}  # as stored, read for this group
        self.stored_ids = stored_ids
        self.existing = existing
        self.checked = checked
        self.cases: dict[str, Case | None] = {}
        self.dwellings: dict[str, Dwelling | None] = {}
        self.keys: dict[str, bytes | None] = {}
        self.records: dict[str, EventRecord] = {}  # accepted earlier in the group, by id

    def accept(self, work: UnitOfWork) -> None:
        self.cases.update(work.cases)
        self.dwellings.update(work.dwellings)
        self.keys.update(work.keys)
        self.records.update((event_id, record) for event_id, (_, record) in work.seen.items())


class _GroupWork(UnitOfWork):
    """One submission's unit of work inside a group: it starts from the state the accepted
    submissions before it left. Their aggregates are copied before use, so a refused
    submission leaves them as they were."""

    def __init__(self, app: Boligspor, group: _Decided, *, now: datetime, default_by: str):
        super().__init__(
            app,
            now=now,
            default_by=default_by,
            stored_ids=group.stored_ids,
            existing=group.existing,
            checked=group.checked,
        )
        self.group = group
        self.keys.update(group.keys)

    def case(self, ref: str) -> Case | None:
        if ref not in self.cases:
            if ref in self.group.cases:
                self.cases[ref] = copy.deepcopy(self.group.cases[ref])
            elif isinstance(ready := self.group.ready.pop(case_id(ref), None), Case):
                self.cases[ref] = ready
        return super().case(ref)

    def dwelling(self, ref: str) -> Dwelling | None:
        if ref not in self.dwellings:
            if ref in self.group.dwellings:
                self.dwellings[ref] = copy.deepcopy(self.group.dwellings[ref])
            elif isinstance(ready := self.group.ready.pop(dwelling_id(ref), None), Dwelling):
                self.dwellings[ref] = ready
        return super().dwelling(ref)

    def submit(self, line: int, record: EventRecord) -> str:
        earlier = self.group.records.get(record.id)
        if earlier is not None and record.id not in self.seen:
            # Stored by an earlier submission of the group: judged as if already committed.
            if earlier.content() == record.content():
                return DUPLICATE
            raise DuplicateConflict(f"id {record.id} already stored with other content")
        return super().submit(line, record)


def _decide(work: UnitOfWork, submission: _Pending) -> Submitted:
    """Decide every line of one submission; raise Refused if any line is refused."""
    result = Submitted()
    failed = list(submission.refusals)
    records = submission.records
    for done, (number, record) in enumerate(records, 1):
        if submission.progress is not None and (done % 500 == 0 or done == len(records)):
            submission.progress(done, len(records))
        try:
            outcome = work.submit(number, record)
        except DomainError as error:
            failed.append(Refusal(number, record.id, error.message, error.code))
            continue
        (result.stored if outcome == STORED else result.duplicates).append(record.id)
    if failed:
        raise Refused(sorted(failed, key=lambda r: r.line))
    return result


class _Query:
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


def _chunks(values: Sequence[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _answer_all(group: list[_Pending], message: str, cause: BaseException | None = None) -> None:
    for member in group:
        error = StoreUnavailable(message)
        error.__cause__ = cause
        member.outcome = error


def _public_items(
    case: Case, ref: str, previous: list[HistoryItem | None] | None
) -> list[HistoryItem | None]:
    """The history items of the entries with nothing sealed (None for the others), reusing
    those of an earlier version of the same case: its entries are a prefix of these, and
    only the targets of the retractions after that prefix read differently now."""
    start = len(previous) if previous is not None and len(previous) <= len(case.history) else 0
    items = list(previous[:start]) if previous is not None and start else []
    items += [
        None if _needs_key(case, entry) else _history_item(case, ref, entry, None)
        for entry in case.history[start:]
    ]
    for entry in case.history[start:]:
        if entry.type == "EventRetracted":
            target = case.by_id.get(entry.fields["target"])
            if target is not None and target.seq < start:
                needs_key = _needs_key(case, target)
                items[target.seq] = None if needs_key else _history_item(case, ref, target, None)
    return items


def _needs_key(case: Case, entry: CaseEntry) -> bool:
    """Whether the entry reads differently with the case key: it or its retraction is sealed."""
    retracted_by = case.retracted.get(entry.event_id)
    return entry.sealed is not None or (
        retracted_by is not None and case.by_id[retracted_by].sealed is not None
    )


def _history_item(case: Case, ref: str, entry: CaseEntry, key: bytes | None) -> HistoryItem:
    retracted_by = case.retracted.get(entry.event_id)
    reason = None
    if retracted_by is not None:
        retraction = case.by_id[retracted_by]
        # Sealed since reasons can name people; a retraction stored before that has it open.
        opened = sealing.unseal(key, retraction.event_id, retraction.sealed)
        reason = opened.get("reason", retraction.fields.get("reason"))
    return HistoryItem(
        record=entry.record(ref, sealing.unseal(key, entry.event_id, entry.sealed)),
        recorded_at=entry.recorded_at,
        retracted_by=retracted_by,
        retraction_reason=reason,
        erased=key is None and entry.sealed is not None,
    )


def _id_of(raw: str | dict[str, Any]) -> str | None:
    if isinstance(raw, dict):
        value = raw.get("id")
        return value if isinstance(value, str) else None
    try:
        obj = json.loads(raw)
    except (ValueError, TypeError, RecursionError):
        return None
    value = obj.get("id") if isinstance(obj, dict) else None
    return value if isinstance(value, str) and len(value) <= 64 else None


def record_of(event: Any, *, personal: dict[str, Any]) -> EventRecord | None:
    """The interchange record of a stored domain event; None for internal events."""
    kind = type(event).__name__
    if isinstance(event, Case.Logged | Case.CaseOpened):
        ref = event.originator_id.split(":", 1)[1]
        return EventRecord(
            event.event_id,
            kind,
            event.on,
            ref,
            event.dwelling,
            event.by,
            dict(event.fields),
            personal,
        )
    if isinstance(event, Dwelling.DwellingRegistered | Dwelling.DwellingRetired):
        ref = event.originator_id.split(":", 1)[1]
        return EventRecord(
            event.event_id, kind, event.on, None, ref, event.by, dict(event.fields), personal
        )
    return None
