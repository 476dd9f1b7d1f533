"""One submission's changes: decided line by line, saved together or not at all.

The rules live with the aggregates (`CaseState`, `domain.dwelling`); `submit` only brings them
together: load the case and its dwellings, ask both, record on both or on neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from domain import sealing
from domain.aggregates import Store
from domain.base import TextAggregate as Aggregate
from domain.case import Case, case_id
from domain.case_rules import CaseState
from domain.dwelling import Dwelling, DwellingFacts, Interval, dwelling_id
from domain.errors import CaseErased, DuplicateConflict, UnknownCase, UnknownDwelling
from domain.records import EventRecord
from domain.search_index import SearchRow
from domain.storage import IndexRow, KeyRow

STORED, DUPLICATE = "stored", "duplicate"


def intervals_by_dwelling(state: CaseState) -> dict[str, list[Interval]]:
    """The case's settlements, [start, end), by the dwelling each was in."""
    out: dict[str, list[Interval]] = {}
    for s in state.settlements:
        if s.dwelling is not None:
            out.setdefault(s.dwelling, []).append((s.start, s.end))
    return out


class UnitOfWork:
    """Aggregates loaded once per submission; pending events kept in recording order.

    An import runs one UnitOfWork over many chunks: `begin_chunk` before each, `take_pending`
    after each. Between chunks it keeps the aggregates touched last (up to `cache_events`
    stored events in all) and the keys it has read, so a file's working set, not the file,
    bounds its memory.
    """

    def __init__(
        self,
        app: Store,
        *,
        now: datetime,
        default_by: str,
        stored_ids: Mapping[str, str],
        existing: set[str],
        checked: set[str],
        cache_events: int = 0,
    ) -> None:
        self.app = app
        self.now = now
        self.default_by = default_by
        self.stored_ids = stored_ids
        self.existing = existing  # of the `checked` aggregates, those that have events
        self.checked = checked
        self.cache_events = cache_events
        self.cases: dict[str, Case | None] = {}
        self.dwellings: dict[str, Dwelling | None] = {}
        self.keys: dict[str, bytes | None] = {}
        self.erased: set[str] = set()
        self.events: list[Any] = []
        self.index_rows: list[tuple[str, str, int]] = []
        self.key_rows: list[tuple[str, bytes, str]] = []
        self.search_rows: list[SearchRow] = []
        self.seen: dict[str, tuple[int, EventRecord]] = {}
        self.recent: dict[str, None] = {}  # cached aggregate ids, least recently written first
        self.cached_events = 0

    # --- chunks of one import --------------------------------------------------------------------

    def begin_chunk(
        self, *, stored_ids: Mapping[str, str], existing: set[str], checked: set[str]
    ) -> None:
        """The next chunk's stored ids and streams; the keys of its stored streams, fetched
        in one query for those not cached."""
        self.stored_ids = stored_ids
        self.existing = existing
        self.checked = checked
        wanted = sorted(s for s in existing if s not in self.keys and s not in self.erased)
        found = self.app.keys.lookup(wanted)
        for stream in wanted:
            key = found.get(stream)
            if key is None and stream in found:
                self.erased.add(stream)
            else:
                self.keys[stream] = key

    def take_pending(self) -> tuple[list[Any], list[IndexRow], list[KeyRow], list[SearchRow]]:
        """The chunk's events, index rows, new keys and search rows, to be inserted now; then
        forget what the next chunk does not need."""
        pending = (self.events, self.index_rows, self.key_rows, self.search_rows)
        self.events, self.index_rows, self.key_rows, self.search_rows = [], [], [], []
        self.seen = {}
        for event in pending[0]:
            stream = event.originator_id
            self.recent.pop(stream, None)
            self.recent[stream] = None
        self.cached_events += len(pending[0])
        self._evict()
        return pending

    def _evict(self) -> None:
        self.cases = {ref: c for ref, c in self.cases.items() if c is not None}
        self.dwellings = {ref: d for ref, d in self.dwellings.items() if d is not None}
        while self.cached_events > self.cache_events and self.recent:
            stream = next(iter(self.recent))
            del self.recent[stream]
            kind, ref = stream.split(":", 1)
            held = self.cases.pop(ref, None) if kind == "case" else self.dwellings.pop(ref, None)
            if held is not None:
                self.cached_events -= held.version
            self.keys.pop(stream, None)

    # --- loading ---------------------------------------------------------------------------------

    def case(self, ref: str) -> Case | None:
        if ref in self.cases:
            return self.cases[ref]
        case: Case | None = None
        if not self._known_absent(case_id(ref)):
            case = self._load(case_id(ref))
        self.cases[ref] = case
        return case

    def dwelling(self, ref: str) -> Dwelling | None:
        if ref in self.dwellings:
            return self.dwellings[ref]
        dwelling: Dwelling | None = None
        if not self._known_absent(dwelling_id(ref)):
            dwelling = self._load(dwelling_id(ref))
        self.dwellings[ref] = dwelling
        return dwelling

    def _load(self, stream: str) -> Any:
        """The stored aggregate, by the one loading path (domain/aggregates.py); an import
        counts what it keeps in memory between chunks."""
        aggregate = self.app.aggregates.get(stream)
        if aggregate is not None and self.cache_events:
            self.recent[stream] = None
            self.cached_events += aggregate.version
        return aggregate

    def holds(self, stream: str) -> bool:
        """Whether the aggregate of this stream is in memory."""
        kind, ref = stream.split(":", 1)
        held = self.cases.get(ref) if kind == "case" else self.dwellings.get(ref)
        return held is not None

    def _known_absent(self, stream: str) -> bool:
        return stream in self.checked and stream not in self.existing

    def facts(self, ref: str) -> DwellingFacts | None:
        dwelling = self.dwelling(ref)
        return dwelling.facts() if dwelling is not None else None

    def key(self, stream: str, *, create: bool) -> bytes | None:
        """The stream's key (made when `create` and it has none); CaseErased once erased."""
        if stream not in self.keys and stream not in self.erased:
            if self._known_absent(stream):
                self.keys[stream] = None
            else:
                found = self.app.keys.lookup([stream])
                if stream in found and found[stream] is None:
                    self.erased.add(stream)
                else:
                    self.keys[stream] = found.get(stream)
        if stream in self.erased:
            raise CaseErased(f"{stream.split(':', 1)[1]} is erased: nothing more can be logged")
        if self.keys[stream] is None and create:
            key, wrapped = self.app.keys.wrap_new(stream)
            self.keys[stream] = key
            self.key_rows.append((stream, wrapped, self.now.isoformat()))
        return self.keys[stream]

    def stored_record(self, event_id: str, stream: str) -> EventRecord | None:
        """The stored event with this id, personal fields opened (erased ones marked)."""
        kind, ref = stream.split(":", 1)
        try:
            key = self.key(stream, create=False)
        except CaseErased:
            key = None
        if kind == "case":
            case = self.case(ref)
            if case is None or event_id not in case.by_id:
                return None
            entry = case.by_id[event_id]
            return entry.record(ref, sealing.unseal(key, event_id, entry.sealed))
        dwelling = self.dwelling(ref)
        if dwelling is None:
            return None
        for eid, on, by, _at, fields, sealed, kind_name in dwelling.entries():
            if eid == event_id:
                personal = sealing.unseal(key, eid, sealed)
                return EventRecord(eid, kind_name, on, None, ref, by, dict(fields), personal)
        return None

    def seal(self, stream: str, record: EventRecord) -> str | None:
        if not record.personal:
            if stream.startswith("case:"):
                self.key(stream, create=False)
            return None
        key = self.key(stream, create=True)
        assert key is not None
        return sealing.seal(key, record.id, record.personal)

    # --- deciding --------------------------------------------------------------------------------

    def submit(self, line: int, record: EventRecord) -> str:
        """Decide one record; return STORED or DUPLICATE, or raise a DomainError."""
        if record.id in self.seen:
            earlier_line, earlier = self.seen[record.id]
            if earlier.content() == record.content():
                return DUPLICATE
            raise DuplicateConflict(
                f"id {record.id} already given on line {earlier_line} with other content"
            )
        if record.id in self.stored_ids:
            existing = self.stored_record(record.id, self.stored_ids[record.id])
            if existing is not None and existing.content() == record.content():
                return DUPLICATE
            raise DuplicateConflict(f"id {record.id} already stored with other content")
        by = record.by or self.default_by
        if record.stream == "dwelling":
            touched: list[Aggregate] = [self._dwelling_event(record, by)]
        else:
            touched = self._case_event(record, by)
        for aggregate in touched:
            for event in aggregate.collect_events():
                self.events.append(event)
                if getattr(event, "event_id", None) == record.id:
                    self.index_rows.append(
                        (record.id, event.originator_id, event.originator_version)
                    )
        self._index(record)
        self.seen[record.id] = (line, record)
        return STORED

    def _index(self, record: EventRecord) -> None:
        """The search index's rows of an opened case or a registered dwelling."""
        if record.type == "CaseOpened":
            person = record.personal.get("person")
            self.search_rows += self.app.search_index.case_rows(
                record.ref, person if isinstance(person, dict) else {}
            )
        elif record.type == "DwellingRegistered":
            address = record.fields.get("address")
            self.search_rows += self.app.search_index.dwelling_rows(
                record.ref, address if isinstance(address, str) else None
            )

    def _dwelling_event(self, record: EventRecord, by: str) -> Dwelling:
        existing = self.dwelling(record.ref)
        stream = dwelling_id(record.ref)
        if record.type == "DwellingRegistered":
            Dwelling.check_new(record.ref, existing)
            dwelling = Dwelling.register(
                record, by=by, now=self.now, sealed=self.seal(stream, record)
            )
            self.dwellings[record.ref] = dwelling
            return dwelling
        if existing is None:
            raise UnknownDwelling(f"dwelling {record.ref} is not registered")
        existing.retire(record, by=by, now=self.now, sealed=self.seal(stream, record))
        return existing

    def _case_event(self, record: EventRecord, by: str) -> list[Aggregate]:
        stream = case_id(record.ref)
        existing = self.case(record.ref)
        if record.type == "CaseOpened":
            if existing is not None:
                existing.state().check_can_open()
            case = Case.open(record, by=by, now=self.now, sealed=self.seal(stream, record))
            self.cases[record.ref] = case
            return [case]
        if existing is None:
            raise UnknownCase(f"case {record.ref} does not exist")
        before = intervals_by_dwelling(existing.state())
        prospective = existing.decide(record, self.facts)
        after = intervals_by_dwelling(prospective)
        changed: list[tuple[Dwelling, list[Interval]]] = []
        for ref in sorted(set(before) | set(after)):
            intervals = after.get(ref, [])
            dwelling = self.dwelling(ref)
            if dwelling is None:
                raise UnknownDwelling(f"dwelling {ref} is not registered")
            if not dwelling.holds(record.ref, intervals):
                dwelling.check_can_hold(record.ref, intervals)
                changed.append((dwelling, intervals))
        existing.log(
            record, by=by, now=self.now, sealed=self.seal(stream, record), decided=prospective
        )
        for dwelling, intervals in changed:
            dwelling.occupy(record.ref, intervals)
        return [existing, *(d for d, _ in changed)]
