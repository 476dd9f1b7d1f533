"""The Boligspor application: the service layer over the event store.

Its commands decide against the stored history and save; its queries read it back. The parts
it is built from each live in a module of their own: the library's environment
(domain/environment.py), the one loading path of commands (domain/aggregates.py), the group
commit (domain/group_commit.py), a file's import (domain/file_import.py) and the case views
(domain/case_views.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from eventsourcing.application import Application
from eventsourcing.persistence import EventStore, JSONTranscoder, Recording

from domain import file_import, sealing
from domain.aggregates import Aggregates
from domain.base import TextEvent
from domain.case import Case, case_id
from domain.case_cache import CaseCache
from domain.case_views import CaseViews, HistoryItem
from domain.changes import Change
from domain.dwelling import Dwelling, dwelling_id
from domain.environment import library_environment
from domain.errors import StoreUnavailable, WrongKeys
from domain.group_commit import WRITE_TURN_WAIT, GroupCommit, Pending, write_turn
from domain.key_check import KeyCheck
from domain.key_source import resolve_keys
from domain.keystore import KeyStore
from domain.municipality import municipality_of
from domain.restrictions import RestrictionChange, Restrictions
from domain.search_index import SearchIndex, SearchRow
from domain.storage import DateAsISO, Sql
from domain.submissions import Line, Refusal, Refused, Submitted, parse_lines
from settings import Settings

__all__ = [
    "Boligspor",
    "HistoryItem",
    "Refusal",
    "Refused",
    "Submitted",
    "utc_now",
]

Clock = Callable[[], datetime]
# Queries keep up to this many case entries in memory (~1.1 KiB each with the history items
# built from them: ~55 MiB per process), and store a case's snapshot when a read finds this
# many events after its last one.
CASE_CACHE_ENTRIES = 50_000
SNAPSHOT_EVERY = 100


def utc_now() -> datetime:
    return datetime.now(UTC)


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
        self.search_index = SearchIndex(self.sql, master)
        self.search_index.ensure_key(clock())
        self.aggregates = Aggregates(self.events, self.mapper, self.sql, events_table)
        # Told the size of each stored group (submissions, event lines), e.g. by the metrics.
        self.group_stored: list[Callable[[int, int], None]] = []
        self.group_commit = GroupCommit(self, settings.database_url, self.group_stored)
        self.case_snapshots: EventStore[str] = self.factory.event_store(
            mapper=self.mapper, recorder=self.factory.aggregate_recorder(purpose="snapshots")
        )
        self.cases = CaseCache(
            self.events,
            self.case_snapshots,
            max_entries=CASE_CACHE_ENTRIES,
            snapshot_every=SNAPSHOT_EVERY,
        )
        self.views = CaseViews(self.cases, self.keys, self.recorder, self.mapper)
        self.restrictions = Restrictions(self.sql, self.keys)
        self.restrictions.ensure()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def today(self, now: datetime | None = None) -> date:
        return (now or self.clock()).astimezone(self.zone).date()

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[str]]:
        """The one way commands save (the group commit's and an import's chunks alike): their
        events with `index_rows`, `key_rows` and `search_rows`, in one transaction, the bulk
        session's inside an import (domain/storage.py).

        Given only events, as both give it, they go straight to the event store: the library's
        `save` checks each against a runtime Protocol first (~20 µs an event, a sixth of an
        import's time), and has nothing more to do for bare events (no aggregate to cache or
        snapshot, and no notification hook here).
        """
        if objs and all(isinstance(obj, TextEvent) for obj in objs):
            return self.events.put(list(objs), **kwargs)
        return super().save(*objs, **kwargs)

    # --- commands --------------------------------------------------------------------------------

    def submit(
        self,
        lines: Iterable[Line],
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
        records, refusals = parse_lines(
            lines, today=self.today(now), districts=self.municipality.district_codes
        )
        if not records:
            if refusals:
                raise Refused(refusals)
            return Submitted()
        return self.group_commit.store(Pending(records, refusals, now, default_by, progress))

    def import_lines(
        self,
        lines: Iterable[Line],
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
        """Crypto-shred a case's personal data: its key is destroyed, its history stays, and
        its rows in the search index are deleted first (nothing finds it by name or id)."""
        self.get_case(ref)
        self.search_index.forget(case_id(ref))
        self.keys.destroy(case_id(ref), by=by, reason=reason, now=self.clock())

    def rebuild_search_index(self) -> int:
        """Write the search index anew from every stored event (a store made before it, or
        one restored from a backup without it); erased cases get no rows. Returns the rows."""
        rows: list[SearchRow] = []
        for event in self.export():
            if event["type"] == "CaseOpened":
                person = event.get("person")
                if isinstance(person, dict) and not sealing.is_erased({"person": person}):
                    rows += self.search_index.case_rows(str(event["case"]), person)
            elif event["type"] == "DwellingRegistered":
                address = event.get("address")
                rows += self.search_index.dwelling_rows(
                    str(event["dwelling"]), address if isinstance(address, str) else None
                )
        return self.search_index.replace_all(rows)

    def restrict_case(self, ref: str, *, reason: str, by: str) -> None:
        """Sperring: only admins may read or write the case from now on."""
        self.get_case(ref)
        self.restrictions.restrict(ref, reason=reason, by=by, now=self.clock())

    def lift_restriction(self, ref: str, *, reason: str, by: str) -> None:
        """End the case's restriction; it stays in the case's restriction log."""
        self.get_case(ref)
        self.restrictions.lift(ref, reason=reason, by=by, now=self.clock())

    # --- queries ---------------------------------------------------------------------------------

    def is_restricted(self, ref: str) -> bool:
        return self.restrictions.is_restricted(ref)

    def restricted_cases(self) -> frozenset[str]:
        """Every case restricted now."""
        return self.restrictions.restricted_refs()

    def restriction_changes(self, ref: str) -> list[RestrictionChange]:
        """The case's restrictions and liftings, oldest first, with who, when and why."""
        return self.restrictions.changes(ref)

    def lookup_ids(self, event_ids: Sequence[str]) -> dict[str, str]:
        """Which of these event ids are stored, and in which aggregate."""
        return self.aggregates.lookup_ids(event_ids)

    def existing_streams(self, streams: Sequence[str]) -> set[str]:
        """Which of these aggregates have events stored."""
        return self.aggregates.existing_streams(streams)

    def get_case(self, ref: str) -> Case:
        """The case as stored now, for reading: it may be shared with other readers (commands
        load their own copy through `aggregates`)."""
        return self.views.case(ref)

    def get_dwelling(self, ref: str) -> Dwelling | None:
        dwelling: Dwelling | None = self.aggregates.get(dwelling_id(ref))
        return dwelling

    def case_history(self, ref: str) -> list[HistoryItem]:
        """The case's timeline in recording order, personal fields opened (or marked erased)."""
        return self.views.history(ref)

    def case_person(self, ref: str) -> dict[str, Any]:
        """The household's contact person as last opened; erased cases give the erased mark."""
        return self.views.person(ref)

    def read_changes(self, after: int, limit: int) -> tuple[list[Change], int]:
        """Public changes after a position, scanning at most `limit` notifications."""
        return self.views.changes(after, limit)

    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def export(self, case: str | None = None, batch: int = 2000) -> Iterator[dict[str, Any]]:
        """Every interchange event in recording order, personal fields opened or erased."""
        return self.views.export(case, batch)
