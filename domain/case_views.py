"""Cases read back as people read them: the timeline, the contact person, the export.

They read through the case cache (domain/case_cache.py), not the commands' loading path, and
open personal fields with each case's key as it is at the time of reading (erased ones read
as erased).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain import sealing
from domain.case import Case, CaseEntry, case_id
from domain.case_cache import CaseCache
from domain.changes import Change
from domain.dwelling import Dwelling
from domain.errors import UnknownCase
from domain.keystore import KeyStore
from domain.records import EventRecord


@dataclass(frozen=True)
class HistoryItem:
    """One entry of a case's timeline as a person reads it."""

    record: EventRecord
    recorded_at: datetime
    retracted_by: str | None
    retraction_reason: str | None
    erased: bool


class CaseViews:
    """The read side of the event store itself, for queries of one case or of all events."""

    def __init__(self, cases: CaseCache, keys: KeyStore, recorder: Any, mapper: Any) -> None:
        self.cases = cases
        self.keys = keys
        self.recorder = recorder
        self.mapper = mapper

    def case(self, ref: str) -> Case:
        """The case as stored now, for reading: it may be shared with other readers."""
        try:
            case = self.cases.get(case_id(ref))
        except AggregateNotFoundError:
            raise UnknownCase(f"case {ref} does not exist") from None
        return case

    def history(self, ref: str) -> list[HistoryItem]:
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

    def person(self, ref: str) -> dict[str, Any]:
        """The household's contact person as last opened; erased cases give the erased mark."""
        case = self.case(ref)
        opened = case.history[0]
        return dict(
            sealing.unseal(self.keys.get(case_id(ref)), opened.event_id, opened.sealed).get(
                "person", {}
            )
        )

    def changes(self, after: int, limit: int) -> tuple[list[Change], int]:
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

    def export(self, case: str | None = None, batch: int = 2000) -> Iterator[dict[str, Any]]:
        """Every interchange event in recording order, personal fields opened or erased."""
        keys = self.keys.all()
        if case is not None:
            found = self.case(case)
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
