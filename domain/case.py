"""The case aggregate: one household's history, every event of EVENTS.md kept as it was logged.

Longer than 300 lines because the case's snapshot and its fork (for the read path's cache)
must rebuild exactly what the aggregate holds, so they sit beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from eventsourcing.domain import CanSnapshotAggregate, MetaDomainEvent
from eventsourcing.utils import get_topic, resolve_topic

from domain.base import TextAggregate as Aggregate
from domain.case_rules import CaseState, DwellingLookup, replay
from domain.errors import RuleBroken
from domain.records import EventRecord

NOT_RETRACTABLE = ("CaseOpened", "EventRetracted")


def case_id(ref: str) -> str:
    """The aggregate id of a case ref."""
    return f"case:{ref}"


@dataclass(frozen=True)
class CaseEntry:
    """One event in a case's history, as stored: personal fields sealed with the case's key."""

    event_id: str
    type: str
    on: date
    seq: int
    by: str
    recorded_at: datetime
    fields: Mapping[str, Any]
    dwelling: str | None
    sealed: str | None

    def record(self, case: str, personal: Mapping[str, Any]) -> EventRecord:
        return EventRecord(
            id=self.event_id,
            type=self.type,
            on=self.on,
            case=case,
            dwelling=self.dwelling,
            by=self.by,
            fields=dict(self.fields),
            personal=dict(personal),
        )


class Case(Aggregate):
    """A household's case. Public methods decide; `Logged.apply` only records."""

    class Logged(Aggregate.Event):
        """Base of every case event: the business date, who logged it and when."""

        event_id: str
        on: date
        by: str
        recorded_at: datetime
        fields: dict[str, Any]
        dwelling: str | None
        sealed: str | None

        def apply(self, aggregate: Aggregate) -> None:
            cast(Case, aggregate).take(self)

    class CaseOpened(Aggregate.Created):
        ref: str
        event_id: str
        on: date
        by: str
        recorded_at: datetime
        fields: dict[str, Any]
        dwelling: str | None
        sealed: str | None

    class ApplicationReceived(Logged): ...

    class ApplicationDecided(Logged): ...

    class AppealReceived(Logged): ...

    class AppealDecided(Logged): ...

    class GroupChanged(Logged): ...

    class HouseholdChanged(Logged): ...

    class SituationChanged(Logged): ...

    class TemporaryStayStarted(Logged): ...

    class TemporaryStayEnded(Logged): ...

    class Settled(Logged): ...

    class LeaseRenewed(Logged): ...

    class MovedOut(Logged): ...

    class ComplaintReceived(Logged): ...

    class ComplaintClosed(Logged): ...

    class FollowUpLogged(Logged): ...

    class ConcernReported(Logged): ...

    class HousingFirstEnrolled(Logged): ...

    class HousingFirstEnded(Logged): ...

    class Withdrawn(Logged): ...

    class CaseClosed(Logged): ...

    class CaseReopened(Logged): ...

    class EventRetracted(Logged): ...

    def __init__(
        self,
        ref: str,
        event_id: str,
        on: date,
        by: str,
        recorded_at: datetime,
        fields: dict[str, Any],
        dwelling: str | None,
        sealed: str | None,
    ) -> None:
        self.ref = ref
        self.history: list[CaseEntry] = []
        self.by_id: dict[str, CaseEntry] = {}
        self.retracted: dict[str, str] = {}  # target event id -> retracting event id
        self._state: CaseState | None = CaseState(ref)
        self._decided: CaseState | None = None
        self._append(
            CaseEntry(event_id, "CaseOpened", on, 0, by, recorded_at, fields, dwelling, sealed)
        )

    @classmethod
    def open(cls, record: EventRecord, *, by: str, now: datetime, sealed: str | None) -> Case:
        """Open a new case from its CaseOpened record."""
        return cls._create(
            cls.CaseOpened,
            id=case_id(record.ref),
            ref=record.ref,
            event_id=record.id,
            on=record.on,
            by=by,
            recorded_at=now,
            fields=dict(record.fields),
            dwelling=record.dwelling,
            sealed=sealed,
        )

    # --- deciding --------------------------------------------------------------------------------

    def state(self) -> CaseState:
        """The state after the whole effective history (computed again after a backdated entry)."""
        if self._state is None:
            self._state, _ = replay(self.effective(), None, ref=self.ref)
        return self._state

    def effective(self) -> list[CaseEntry]:
        """The entries that count: neither retractions nor retracted."""
        return [
            e
            for e in self.history
            if e.type != "EventRetracted" and e.event_id not in self.retracted
        ]

    def decide(self, record: EventRecord, dwellings: DwellingLookup) -> CaseState:
        """Check `record` against the whole history; return the state it would leave.

        Raises RuleBroken, naming the entry at fault when a backdated record or a retraction
        breaks a rule for an entry already stored.
        """
        if record.type == "CaseOpened":
            self.state().check_can_open()
        entry = self._entry(record, by="", now=datetime.min, sealed=None)
        if record.type == "EventRetracted":
            return self._decide_retraction(record, dwellings)
        state = self.state()
        if state.last_on is None or record.on >= state.last_on:
            prospective = state.copy()
            prospective.apply(entry, dwellings)
            return prospective
        prospective, breaches = replay([*self.effective(), entry], dwellings, ref=self.ref)
        for breach in breaches:
            if breach.entry is entry:
                raise breach.broken
        if breaches:
            raise RuleBroken(
                f"{record.type} {record.id} of {record.on} conflicts with the history: "
                + "; ".join(b.describe() for b in breaches),
                rule="conflicts_with_history",
                event=record.id,
                breaks=[(b.entry.event_id, b.broken.rule, b.broken.params) for b in breaches],
            )
        return prospective

    def _decide_retraction(self, record: EventRecord, dwellings: DwellingLookup) -> CaseState:
        target_id = record.fields["target"]
        target = self.by_id.get(target_id)
        if target is None:
            raise RuleBroken(
                f"target {target_id} is not an event of case {self.ref}",
                rule="retraction_target_unknown",
                case=self.ref,
                target=target_id,
            )
        if target.type in NOT_RETRACTABLE:
            raise RuleBroken(
                f"a {target.type} cannot be retracted",
                rule="not_retractable",
                target=target_id,
                target_type=target.type,
            )
        if target_id in self.retracted:
            raise RuleBroken(
                f"{target_id} is already retracted by {self.retracted[target_id]}",
                rule="already_retracted",
                target=target_id,
                retracted_by=self.retracted[target_id],
            )
        remaining = [e for e in self.effective() if e.event_id != target_id]
        prospective, breaches = replay(remaining, dwellings, ref=self.ref)
        if breaches:
            first = breaches[0]
            more = f" (and {len(breaches) - 1} later entries)" if len(breaches) > 1 else ""
            raise RuleBroken(
                f"cannot retract {target.type} {target_id}: {first.entry.type}"
                f" {first.entry.event_id} on {first.entry.on} depends on it ({first.reason}){more}",
                rule="retraction_breaks_history",
                target=target_id,
                target_type=target.type,
                breaks=[(b.entry.event_id, b.broken.rule, b.broken.params) for b in breaches],
            )
        return prospective

    def log(
        self,
        record: EventRecord,
        *,
        by: str,
        now: datetime,
        sealed: str | None,
        decided: CaseState | None = None,
    ) -> None:
        """Record an event already decided with `decide`; `decided`, the state `decide`
        returned for it, becomes the case's state instead of being worked out again."""
        event_class = getattr(Case, record.type)
        self._decided = decided
        self.trigger_event(
            event_class,
            event_id=record.id,
            on=record.on,
            by=by,
            recorded_at=now,
            fields=dict(record.fields),
            dwelling=record.dwelling,
            sealed=sealed,
        )

    # --- recording (runs again on replay: no checks, no clock, no I/O) --------------------------

    def take(self, event: Case.Logged) -> None:
        entry = CaseEntry(
            event.event_id,
            type(event).__name__,
            event.on,
            len(self.history),
            event.by,
            event.recorded_at,
            event.fields,
            event.dwelling,
            event.sealed,
        )
        self._append(entry)

    def _append(self, entry: CaseEntry) -> None:
        self.history.append(entry)
        self.by_id[entry.event_id] = entry
        decided, self._decided = self._decided, None
        if entry.type == "EventRetracted":
            self.retracted[entry.fields["target"]] = entry.event_id
        if decided is not None:
            self._state = decided
        elif entry.type == "EventRetracted":
            self._state = None
        elif self._state is not None:
            if self._state.last_on is None or entry.on >= self._state.last_on:
                self._state.apply(entry, None)
            else:
                self._state = None

    def _entry(
        self, record: EventRecord, *, by: str, now: datetime, sealed: str | None
    ) -> CaseEntry:
        return CaseEntry(
            record.id,
            record.type,
            record.on,
            len(self.history),
            by,
            now,
            dict(record.fields),
            record.dwelling,
            sealed,
        )


# --- snapshots and read-side copies (read path only: the write path replays events) -------------


@dataclass(frozen=True)
class CaseSnapshot(CanSnapshotAggregate[str], metaclass=MetaDomainEvent):
    """A case's entries at one version, stored like an event (encrypted with the payload key).

    It holds exactly what the case's events hold: each entry's public fields and its personal
    fields still sealed with the case's own key, so destroying that key (erasure) shreds the
    snapshot's personal fields too. The rule state is not stored: it is rebuilt from the
    entries on restore, as a replay builds it.
    """

    originator_id: str
    originator_version: int
    timestamp: datetime
    topic: str
    state: dict[str, Any]

    @classmethod
    def of(cls, case: Case) -> CaseSnapshot:
        entries = [
            [e.event_id, e.type, e.on, e.by, e.recorded_at, dict(e.fields), e.dwelling, e.sealed]
            for e in case.history
        ]
        return cls(
            originator_id=case.id,
            originator_version=case.version,
            timestamp=cls.create_timestamp(),
            topic=get_topic(Case),
            state={
                "ref": case.ref,
                "entries": entries,
                "created_on": case.created_on,
                "modified_on": case.modified_on,
            },
        )

    def mutate(self, _: None) -> Case:
        """The case at the snapshot's version, its entries appended in order as replay does."""
        state = self.state
        entries = state["entries"]
        if resolve_topic(self.topic) is not Case or not entries or entries[0][1] != "CaseOpened":
            raise ValueError(f"not a snapshot of a case: {self.originator_id}")
        case = object.__new__(Case)
        case.__base_init__(self.originator_id, self.originator_version, state["created_on"])
        case._modified_on = state["modified_on"]
        event_id, _type, on, by, recorded_at, fields, dwelling, sealed = entries[0]
        Case.__init__(case, state["ref"], event_id, on, by, recorded_at, fields, dwelling, sealed)
        for seq, row in enumerate(entries[1:], 1):
            event_id, kind, on, by, recorded_at, fields, dwelling, sealed = row
            case._append(
                CaseEntry(event_id, kind, on, seq, by, recorded_at, fields, dwelling, sealed)
            )
        return case


def fork(case: Case) -> Case:
    """A copy of `case` that later events can advance while `case` itself stays as it is.

    The entries are frozen and shared; the containers they sit in are copied.
    """
    copy = object.__new__(Case)
    copy.__dict__.update(vars(case))
    copy.history = list(case.history)
    copy.by_id = dict(case.by_id)
    copy.retracted = dict(case.retracted)
    copy._state = case._state.copy() if case._state is not None else None
    copy._pending_events = []
    return copy
