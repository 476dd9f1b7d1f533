"""The Boligspor application: the service layer over the event store."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    OperationalError,
)

from domain import file_import, sealing
from domain.case import Case, case_id
from domain.changes import Change
from domain.dwelling import Dwelling, dwelling_id
from domain.errors import DomainError, InvalidEvent, StoreUnavailable, UnknownCase
from domain.keystore import KeyStore
from domain.records import EventRecord, parse_event, parse_line
from domain.storage import DateAsISO, Sql
from domain.unit_of_work import STORED, UnitOfWork
from settings import Settings, parse_database_url

Clock = Callable[[], datetime]
RETRIES = 40
WRITE_TURN_WAIT = 3.0  # seconds a request waits for its process's turn to write
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


def _create_schema(conninfo: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')


def resolve_keys(settings: Settings) -> tuple[str, bytes]:
    """The payload key (base64) and the master key: from settings, else from a key file."""
    if settings.payload_key and settings.master_key:
        return settings.payload_key, sealing.decode_key(settings.master_key)
    if settings.production:
        raise OSError("BOLIGSPOR_PAYLOAD_KEY and BOLIGSPOR_MASTER_KEY must be set in production")
    target = parse_database_url(settings.database_url)
    folder = target.sqlite_path.parent if target.sqlite_path else Path("data")
    path = folder / "boligspor.keys"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        keys = {
            "payload_key": sealing.encode_key(sealing.new_key()),
            "master_key": sealing.encode_key(sealing.new_key()),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(keys, f)
    keys = json.loads(path.read_text())
    payload = settings.payload_key or keys["payload_key"]
    master = settings.master_key or keys["master_key"]
    return payload, sealing.decode_key(master)


class Boligspor(Application[str]):
    """Cases and dwellings: commands decide against the history, queries read it back."""

    name = "boligspor"

    def __init__(self, settings: Settings, *, clock: Clock = utc_now) -> None:
        payload_key, master = resolve_keys(settings)
        super().__init__(library_environment(settings, payload_key))
        self.settings = settings
        self.clock = clock
        self.zone = ZoneInfo(settings.timezone)
        self.sql = Sql(self.recorder)
        self.keys = KeyStore(self.sql, master)

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
        """Store every line or none: raise Refused listing each refused line with its reason."""
        now = now or self.clock()
        today = self.today(now)
        refusals: list[Refusal] = []
        records: list[tuple[int, EventRecord]] = []
        for number, raw in lines:
            try:
                obj = parse_line(raw) if isinstance(raw, str) else raw
                records.append((number, parse_event(obj, today=today)))
            except InvalidEvent as error:
                refusals.append(Refusal(number, _id_of(raw), error.message, error.code))
        turn = write_turn(self.settings.database_url)
        for attempt in range(RETRIES):
            # A bounded wait for the turn: behind a stuck database, the k-th waiting request
            # must not wait k times the store's own lock timeout before it hears 503.
            if not turn.acquire(timeout=WRITE_TURN_WAIT):
                raise StoreUnavailable("the database is busy; try again")
            try:
                outcome = self._decide_and_save(records, refusals, now, default_by, progress)
            finally:
                turn.release()
            if outcome is not None:
                return outcome
            # Another process's writer got there first: decide again on fresh state, after
            # a fully jittered, growing pause so that racing writers spread out.
            time.sleep(random.uniform(0, min(0.005 * 2**attempt, 1.0)))  # noqa: S311
        raise StoreUnavailable("too many concurrent changes to the same case; try again")

    def _decide_and_save(
        self,
        records: list[tuple[int, EventRecord]],
        refusals: list[Refusal],
        now: datetime,
        default_by: str,
        progress: Callable[[int, int], None] | None,
    ) -> Submitted | None:
        """Decide every record on fresh state and save; None when another writer won the race."""
        stored_ids = self.lookup_ids([r.id for _, r in records])
        streams = {case_id(r.ref) if r.stream == "case" else dwelling_id(r.ref) for _, r in records}
        work = UnitOfWork(
            self,
            now=now,
            default_by=default_by,
            stored_ids=stored_ids,
            existing=self.existing_streams(sorted(streams)),
            checked=streams,
        )
        result = Submitted()
        failed = list(refusals)
        for done, (number, record) in enumerate(records, 1):
            if progress is not None and (done % 500 == 0 or done == len(records)):
                progress(done, len(records))
            try:
                outcome = work.submit(number, record)
            except DomainError as error:
                failed.append(Refusal(number, record.id, error.message, error.code))
                continue
            (result.stored if outcome == STORED else result.duplicates).append(record.id)
        if failed:
            raise Refused(sorted(failed, key=lambda r: r.line))
        if not work.events:
            return result
        try:
            self.save(*work.events, index_rows=work.index_rows, key_rows=work.key_rows)
        except IntegrityError:
            return None
        except OperationalError as error:
            raise StoreUnavailable("the database is busy or unreachable; try again") from error
        return result

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
        found: dict[str, str] = {}
        table = self.sql.table("event_index")
        for start in range(0, len(event_ids), 500):
            chunk = list(event_ids[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            for event_id, stream in self.sql.query(
                f"SELECT event_id, stream FROM {table} WHERE event_id IN ({marks})", chunk
            ):
                found[str(event_id)] = str(stream)
        return found

    def existing_streams(self, streams: Sequence[str]) -> set[str]:
        """Which of these aggregates have events stored."""
        found: set[str] = set()
        table = self.sql.table("event_index")
        for start in range(0, len(streams), 500):
            chunk = list(streams[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            rows = self.sql.query(
                f"SELECT DISTINCT stream FROM {table} WHERE stream IN ({marks})", chunk
            )
            found.update(str(row[0]) for row in rows)
        return found

    def get_case(self, ref: str) -> Case:
        try:
            case: Case = self.repository.get(case_id(ref))
        except AggregateNotFoundError:
            raise UnknownCase(f"case {ref} does not exist") from None
        return case

    def get_dwelling(self, ref: str) -> Dwelling | None:
        try:
            dwelling: Dwelling = self.repository.get(dwelling_id(ref))
        except AggregateNotFoundError:
            return None
        return dwelling

    def stored_record(self, event_id: str, stream: str, work: UnitOfWork) -> EventRecord | None:
        """The stored event with this id, personal fields opened (erased ones marked)."""
        kind, ref = stream.split(":", 1)
        if kind == "case":
            case = work.case(ref)
            if case is None or event_id not in case.by_id:
                return None
            entry = case.by_id[event_id]
            key = self.keys.get(stream)
            return entry.record(ref, sealing.unseal(key, event_id, entry.sealed))
        dwelling = work.dwelling(ref)
        if dwelling is None:
            return None
        for eid, on, by, _at, fields, sealed, kind_name in dwelling.entries():
            if eid == event_id:
                personal = sealing.unseal(self.keys.get(stream), eid, sealed)
                return EventRecord(eid, kind_name, on, None, ref, by, dict(fields), personal)
        return None

    def case_history(self, ref: str) -> list[HistoryItem]:
        """The case's timeline in recording order, personal fields opened (or marked erased)."""
        case = self.get_case(ref)
        key = self.keys.get(case_id(ref))
        items = []
        for entry in case.history:
            personal = sealing.unseal(key, entry.event_id, entry.sealed)
            retracted_by = case.retracted.get(entry.event_id)
            reason = None
            if retracted_by is not None:
                reason = case.by_id[retracted_by].fields.get("reason")
            items.append(
                HistoryItem(
                    record=entry.record(ref, personal),
                    recorded_at=entry.recorded_at,
                    retracted_by=retracted_by,
                    retraction_reason=reason,
                    erased=key is None and entry.sealed is not None,
                )
            )
        return items

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


def _id_of(raw: str | dict[str, Any]) -> str | None:
    if isinstance(raw, dict):
        value = raw.get("id")
        return value if isinstance(value, str) else None
    try:
        obj = json.loads(raw)
    except (ValueError, TypeError):
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
