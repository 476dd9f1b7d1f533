"""Annual figures as reported: the report of a year frozen when it ended, and what late entries
have changed since.

A snapshot keeps the annual report of year Y as computed on 1 January Y+1, when it was made
and the event-store position the read models had applied up to. Later, `changes_since_reported`
compares it with the report computed now and names the late events: those recorded after that
position and dated on or before 31 December Y (a backdated event dated before Y can still change
Y's figures: the waiting list at the start of the year, a stay running into Y), and retractions
of such events. Each changed figure lists the late events of the kinds its section reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.application import Boligspor
from projections.annual_report import annual_report
from projections.db import ReadStore, Table
from projections.event_log import events_by_id
from projections.kept_tables import ensure_tables, read_models_position
from projections.runner import catch_up

REPORTED_FIGURES = Table(
    "reported_figures",
    (
        ("year", "INTEGER NOT NULL"),
        ("made_at", "TEXT NOT NULL"),
        ("position", "BIGINT NOT NULL"),
        ("report", "TEXT NOT NULL"),
    ),
    primary_key=("year",),
)
TABLES = (REPORTED_FIGURES,)
BATCH = 1000
CONSISTENT_READ_ATTEMPTS = 5

CASE_SHAPE = ("CaseOpened", "GroupChanged", "HouseholdChanged", "CaseClosed", "CaseReopened")
SECTION_EVENTS: Mapping[str, frozenset[str]] = {
    "applications": frozenset(
        {"ApplicationReceived", "ApplicationDecided", "AppealReceived", "AppealDecided"}
    ),
    "waiting_list": frozenset(
        {"ApplicationDecided", "AppealDecided", "Settled", "Withdrawn", *CASE_SHAPE}
    ),
    "settlements": frozenset({"Settled", *CASE_SHAPE}),
    "moved_out": frozenset({"MovedOut"}),
    "temporary_housing": frozenset(
        {"TemporaryStayStarted", "TemporaryStayEnded", "Settled", *CASE_SHAPE}
    ),
    "complaints": frozenset(
        {"ComplaintReceived", "ComplaintClosed", "Settled", "MovedOut", "DwellingRegistered"}
    ),
    "follow_up": frozenset({"FollowUpLogged"}),
    "concerns": frozenset({"ConcernReported"}),
    "housing_first": frozenset({"HousingFirstEnrolled", "HousingFirstEnded"}),
}


@dataclass(frozen=True)
class Snapshot:
    """The annual report of a year as it was reported."""

    year: int
    made_at: str
    position: int
    report: dict[str, Any]


@dataclass(frozen=True)
class LateEvent:
    """An event recorded after the snapshot that can change the year's figures."""

    position: int
    event_id: str
    type: str
    ref: str
    on: str
    retracts: str | None = None  # the type of the retracted event, for a retraction
    retracted_id: str | None = None

    @property
    def kind(self) -> str:
        """The kind of fact it changes: the retracted event's type for a retraction."""
        return self.retracts or self.type

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "id": self.event_id,
            "type": self.type,
            "ref": self.ref,
            "on": self.on,
            "retracts": self.retracted_id,
        }


@dataclass(frozen=True)
class FigureChange:
    """One figure whose value differs from the reported one, and the late events behind it."""

    figure: str  # dotted path in the report, e.g. "temporary_housing.nights"
    reported: Any
    now: Any
    events: tuple[str, ...]  # ids of the late events of the kinds its section reads


@dataclass(frozen=True)
class ChangesSinceReported:
    """The figures of a year that late entries changed, and those late entries."""

    year: int
    reported_at: str
    reported_position: int
    figures: list[FigureChange] = field(default_factory=list)
    events: list[LateEvent] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "reported_at": self.reported_at,
            "reported_position": self.reported_position,
            "figures": [
                {"figure": f.figure, "reported": f.reported, "now": f.now, "events": list(f.events)}
                for f in self.figures
            ],
            "events": [e.to_json() for e in self.events],
        }

    def lines(self) -> list[str]:
        """A plain-text listing: one line per changed figure, then the late events."""
        out = [f"{self.year}: rapportert {self.reported_at}"]
        out += [
            f"  {f.figure}: {json.dumps(f.reported)} → {json.dumps(f.now)}"
            f"  ({', '.join(f.events) or '-'})"
            for f in self.figures
        ]
        out += [
            f"  {e.event_id} {e.type} {e.ref} {e.on}"
            + (f" (trekker tilbake {e.retracted_id})" if e.retracted_id else "")
            for e in self.events
        ]
        return out


def freeze(app: Boligspor, store: ReadStore, year: int, now: datetime) -> Snapshot | None:
    """Store the year's annual report as computed now, unless the year is frozen already;
    returns the new snapshot, or None when there was one."""
    ensure_tables(store, TABLES)
    if as_reported(store, year) is not None:
        return None
    catch_up(app, store)
    position, report = _consistent_report(
        store, year, app.today(now), app.municipality.district_codes
    )
    snapshot = Snapshot(year, now.isoformat(), position, report)
    with store.transaction() as tx:
        if tx.query_one("SELECT 1 FROM reported_figures WHERE year = ?", (year,)) is not None:
            return None
        tx.execute(
            REPORTED_FIGURES.insert_statement(),
            (year, snapshot.made_at, position, json.dumps(report, sort_keys=True)),
        )
    return snapshot


def as_reported(store: ReadStore, year: int) -> Snapshot | None:
    """The year's annual report as it was frozen, or None if it was never frozen."""
    ensure_tables(store, TABLES)
    with store.reading() as tx:
        row = tx.query_one(
            "SELECT year, made_at, position, report FROM reported_figures WHERE year = ?", (year,)
        )
    if row is None:
        return None
    return Snapshot(int(row[0]), str(row[1]), int(row[2]), json.loads(row[3]))


def changes_since_reported(
    app: Boligspor, store: ReadStore, year: int, today: date
) -> ChangesSinceReported | None:
    """The figures of the year that differ from the frozen ones, each with the late events of
    the kinds its section reads; None if the year was never frozen."""
    snapshot = as_reported(store, year)
    if snapshot is None:
        return None
    catch_up(app, store)
    current = annual_report(store, year, today, app.municipality.district_codes)
    events = _late_events(app, store, snapshot.position, f"{year}-12-31")
    figures = [
        FigureChange(path, old, new, _behind(path, events))
        for path, old, new in _differences(snapshot.report, current)
    ]
    return ChangesSinceReported(year, snapshot.made_at, snapshot.position, figures, events)


def _consistent_report(
    store: ReadStore, year: int, today: date, districts: Sequence[str]
) -> tuple[int, dict[str, Any]]:
    """The report and the position it was computed at: read again if a catch-up ran between."""
    position = read_models_position(store)
    for _attempt in range(CONSISTENT_READ_ATTEMPTS):
        report = annual_report(store, year, today, districts)
        after = read_models_position(store)
        if after == position:
            break
        position = after
    return position, report


def _late_events(app: Boligspor, store: ReadStore, after: int, last_day: str) -> list[LateEvent]:
    recorded = []
    while True:
        changes, last = app.read_changes(after, BATCH)
        recorded += [(c.position, c.stream, c.ref, c.event) for c in changes]
        if last <= after:
            break
        after = last
    targets = {
        str(event["target"]) for _, _, _, event in recorded if event["type"] == "EventRetracted"
    }
    with store.reading() as tx:
        retracted = events_by_id(tx, targets)
    late = []
    for position, _stream, ref, event in recorded:
        kind, on = str(event["type"]), str(event["on"])
        if kind == "EventRetracted":
            target = retracted.get(str(event["target"]))
            if target is not None and target[1] <= last_day:
                target_type, _target_on, target_id = target
                late.append(
                    LateEvent(position, str(event["id"]), kind, ref, on, target_type, target_id)
                )
        elif on <= last_day:
            late.append(LateEvent(position, str(event["id"]), kind, ref, on))
    return late


def _differences(old: Any, new: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from _differences(old.get(key), new.get(key), f"{path}.{key}" if path else key)
    elif old != new:
        yield path, old, new


def _behind(path: str, events: list[LateEvent]) -> tuple[str, ...]:
    kinds = SECTION_EVENTS.get(path.split(".", 1)[0], frozenset())
    return tuple(e.event_id for e in events if e.kind in kinds)
