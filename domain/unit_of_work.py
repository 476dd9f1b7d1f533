"""One submission's changes: decided line by line, saved together or not at all."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from eventsourcing.application import AggregateNotFoundError

from domain import sealing
from domain.base import TextAggregate as Aggregate
from domain.case import Case, case_id
from domain.case_rules import CaseState, DwellingFacts
from domain.dwelling import Dwelling, Interval, dwelling_id
from domain.errors import CaseErased, DuplicateConflict, RuleBroken, UnknownCase, UnknownDwelling
from domain.records import EventRecord

if TYPE_CHECKING:
    from domain.application import Boligspor

STORED, DUPLICATE = "stored", "duplicate"


def intervals_by_dwelling(state: CaseState) -> dict[str, list[Interval]]:
    out: dict[str, list[Interval]] = {}
    for s in state.settlements:
        if s.dwelling is not None:
            out.setdefault(s.dwelling, []).append((s.start, s.end))
    return out


class UnitOfWork:
    """Aggregates loaded once per submission; pending events kept in recording order."""

    def __init__(
        self,
        app: Boligspor,
        *,
        now: datetime,
        default_by: str,
        stored_ids: Mapping[str, str],
        existing: set[str],
        checked: set[str],
    ) -> None:
        self.app = app
        self.now = now
        self.default_by = default_by
        self.stored_ids = stored_ids
        self.existing = existing  # of the `checked` aggregates, those that have events
        self.checked = checked
        self.cases: dict[str, Case | None] = {}
        self.dwellings: dict[str, Dwelling | None] = {}
        self.keys: dict[str, bytes | None] = {}
        self.events: list[Any] = []
        self.index_rows: list[tuple[str, str, int]] = []
        self.key_rows: list[tuple[str, bytes, str]] = []
        self.seen: dict[str, tuple[int, dict[str, Any]]] = {}

    # --- loading ---------------------------------------------------------------------------------

    def case(self, ref: str) -> Case | None:
        if ref not in self.cases and self._known_absent(case_id(ref)):
            self.cases[ref] = None
        if ref not in self.cases:
            try:
                self.cases[ref] = self.app.repository.get(case_id(ref))
            except AggregateNotFoundError:
                self.cases[ref] = None
        return self.cases[ref]

    def dwelling(self, ref: str) -> Dwelling | None:
        if ref not in self.dwellings and self._known_absent(dwelling_id(ref)):
            self.dwellings[ref] = None
        if ref not in self.dwellings:
            try:
                self.dwellings[ref] = self.app.repository.get(dwelling_id(ref))
            except AggregateNotFoundError:
                self.dwellings[ref] = None
        return self.dwellings[ref]

    def _known_absent(self, stream: str) -> bool:
        return stream in self.checked and stream not in self.existing

    def facts(self, ref: str) -> DwellingFacts | None:
        dwelling = self.dwelling(ref)
        return dwelling.facts() if dwelling is not None else None

    def key(self, stream: str, *, create: bool) -> bytes | None:
        if stream not in self.keys:
            self.keys[stream] = self.app.keys.get(stream)
            if self.keys[stream] is None and self.app.keys.erased(stream):
                raise CaseErased(f"{stream.split(':', 1)[1]} is erased: nothing more can be logged")
        if self.keys[stream] is None and create:
            key, wrapped = self.app.keys.wrap_new(stream)
            self.keys[stream] = key
            self.key_rows.append((stream, wrapped, self.now.isoformat()))
        return self.keys[stream]

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
        content = record.content()
        if record.id in self.seen:
            earlier_line, earlier = self.seen[record.id]
            if earlier == content:
                return DUPLICATE
            raise DuplicateConflict(
                f"id {record.id} already given on line {earlier_line} with other content"
            )
        if record.id in self.stored_ids:
            existing = self.app.stored_record(record.id, self.stored_ids[record.id], self)
            if existing is not None and existing.content() == content:
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
        self.seen[record.id] = (line, content)
        return STORED

    def _dwelling_event(self, record: EventRecord, by: str) -> Dwelling:
        existing = self.dwelling(record.ref)
        stream = dwelling_id(record.ref)
        if record.type == "DwellingRegistered":
            if existing is not None:
                raise RuleBroken(f"dwelling {record.ref} is already registered")
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
                raise RuleBroken(f"case {record.ref} already exists")
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
            if dwelling.occupancy.get(record.ref, []) != intervals:
                dwelling.check_occupancy(record.ref, intervals)
                changed.append((dwelling, intervals))
        existing.log(record, by=by, now=self.now, sealed=self.seal(stream, record))
        for dwelling, intervals in changed:
            dwelling.occupy(record.ref, intervals)
        return [existing, *(d for d, _ in changed)]
