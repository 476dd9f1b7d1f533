"""An independent model of the case and dwelling rules, written from EVENTS.md alone.

It keeps the accepted events of each case in recording order and decides a new event by folding
the case's history ordered by (`on`, recording order), with the new event in its place: the event
is accepted when the fold breaks no rule and no dwelling holds two households on any day. It
shares no code with `domain/`, so that a disagreement points at one of the two readings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

MANAGED = ("municipal_rental", "referral_agreement")


@dataclass(frozen=True)
class Ev:
    """One accepted (or proposed) event: what the rules look at."""

    id: str
    type: str
    on: date
    seq: int
    fields: dict[str, Any]
    dwelling: str | None = None


@dataclass
class DwellingFacts:
    registered_on: date
    category: str
    retired_on: date | None = None


@dataclass
class Settlement:
    start: date
    tenure: str
    dwelling: str | None
    end: date | None = None


@dataclass
class Fold:
    """A case's state after folding its history."""

    opened: bool = False
    closed: bool = False
    application: bool = False
    appeal: bool = False
    appealable: bool = False
    waiting: bool = False
    settled: Settlement | None = None
    settlements: list[Settlement] = field(default_factory=list)
    open_stay: str | None = None
    stay_refs: set[str] = field(default_factory=set)
    stays: list[list[date | None]] = field(default_factory=list)  # [start, end) per stay
    complaints: dict[str, bool] = field(default_factory=dict)
    enrolled: bool = False

    def end_stay(self, on: date) -> None:
        if self.open_stay is not None:
            self.stays[-1][1] = on
            self.open_stay = None


class Broken(Exception):
    """A rule of EVENTS.md refuses the event."""


def _settle(state: Fold, ev: Ev, dwellings: dict[str, DwellingFacts]) -> None:
    if state.settled is not None:
        raise Broken("already settled")
    tenure = ev.fields["tenure"]
    if ev.dwelling is not None:
        facts = dwellings.get(ev.dwelling)
        if facts is None or facts.registered_on > ev.on:
            raise Broken("dwelling not registered on or before the day")
        if facts.retired_on is not None and facts.retired_on <= ev.on:
            raise Broken("dwelling retired")
        if tenure == "municipal_rental" and facts.category == "referral":
            raise Broken("municipal_rental in a referral dwelling")
        if tenure == "referral_agreement" and facts.category != "referral":
            raise Broken("referral_agreement outside a referral dwelling")
    state.settled = Settlement(ev.on, tenure, ev.dwelling)
    state.settlements.append(state.settled)
    state.waiting = False
    state.end_stay(ev.on)


def step(state: Fold, ev: Ev, dwellings: dict[str, DwellingFacts]) -> None:
    """Apply one event to the fold, or raise Broken (the fold may be half-changed then)."""
    kind, f = ev.type, ev.fields
    if kind == "CaseOpened":
        if state.opened:
            raise Broken("opened twice")
        state.opened = True
        return
    if not state.opened:
        raise Broken("before CaseOpened")
    if state.closed and kind != "CaseReopened":
        raise Broken("closed: only CaseReopened may follow")
    if kind == "ApplicationReceived":
        if state.application or state.appeal or state.waiting:
            raise Broken("application, appeal or waiting list already")
        state.application, state.appealable = True, False
    elif kind == "ApplicationDecided":
        if not state.application:
            raise Broken("no pending application")
        state.application = False
        if f["decision"] == "approved":
            state.waiting = True
        else:
            state.appealable = True
    elif kind == "AppealReceived":
        if not state.appealable:
            raise Broken("no rejection to appeal")
        state.appeal, state.appealable = True, False
    elif kind == "AppealDecided":
        if not state.appeal:
            raise Broken("no pending appeal")
        state.appeal = False
        if f["outcome"] == "overturned":
            state.waiting = True
    elif kind == "TemporaryStayStarted":
        if state.open_stay is not None or f["stay"] in state.stay_refs:
            raise Broken("a stay is open, or the stay ref is taken")
        state.open_stay = f["stay"]
        state.stay_refs.add(f["stay"])
        state.stays.append([ev.on, None])
    elif kind == "TemporaryStayEnded":
        if state.open_stay != f["stay"]:
            raise Broken("not the open stay")
        state.end_stay(ev.on)
    elif kind == "Settled":
        _settle(state, ev, dwellings)
    elif kind in ("LeaseRenewed", "MovedOut"):
        if state.settled is None:
            raise Broken("not settled")
        if kind == "MovedOut":
            state.settled.end = ev.on
            state.settled = None
    elif kind == "ComplaintReceived":
        if f["complaint"] in state.complaints:
            raise Broken("complaint ref taken")
        if ev.dwelling is not None:
            facts = dwellings.get(ev.dwelling)
            if facts is None or facts.registered_on > ev.on:
                raise Broken("complaint about a dwelling not registered then")
        state.complaints[f["complaint"]] = True
    elif kind == "ComplaintClosed":
        if not state.complaints.get(f["complaint"], False):
            raise Broken("no such open complaint")
        state.complaints[f["complaint"]] = False
    elif kind == "HousingFirstEnrolled":
        if state.enrolled:
            raise Broken("already enrolled")
        state.enrolled = True
    elif kind == "HousingFirstEnded":
        if not state.enrolled:
            raise Broken("not enrolled")
        state.enrolled = False
    elif kind == "Withdrawn":
        if not (state.waiting or state.application or state.appeal):
            raise Broken("nothing to withdraw")
        state.waiting = state.application = state.appeal = False
    elif kind == "CaseClosed":
        if state.settled is not None and state.settled.tenure in MANAGED:
            raise Broken("settled under a managed tenure")
        if state.enrolled:
            raise Broken("enrolled in Housing First")
        state.closed = True
        state.waiting = state.application = state.appeal = state.appealable = False
        if state.settled is not None:
            state.settled.end = ev.on
            state.settled = None
        state.end_stay(ev.on)
    elif kind == "CaseReopened":
        if not state.closed:
            raise Broken("not closed")
        state.closed = False


def fold(events: list[Ev], dwellings: dict[str, DwellingFacts]) -> Fold:
    """Fold effective events in (on, recording) order; raise Broken at the first breach."""
    state = Fold()
    for ev in sorted(events, key=lambda e: (e.on, e.seq)):
        step(state, ev, dwellings)
    return state


def overlaps(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    """Do two [start, end) day intervals share a day (None: still open)?"""
    return (b[1] is None or a[0] < b[1]) and (a[1] is None or b[0] < a[1])


class Model:
    """Accepted events per case and the registered dwellings; decides new events."""

    def __init__(self) -> None:
        self.cases: dict[str, list[Ev]] = {}
        self.dwellings: dict[str, DwellingFacts] = {}
        self.dwelling_events: dict[str, list[str]] = {}
        self.contents: dict[str, dict[str, Any]] = {}  # event id -> content as submitted
        self.seq = 0

    def effective(self, ref: str, without: str | None = None) -> list[Ev]:
        events = self.cases[ref]
        retracted = {e.fields["target"] for e in events if e.type == "EventRetracted"}
        if without is not None:
            retracted.add(without)
        return [e for e in events if e.type != "EventRetracted" and e.id not in retracted]

    def intervals(self, ref: str) -> dict[str, list[tuple[date, date | None]]]:
        return by_dwelling(fold(self.effective(ref), self.dwellings))

    def decide(self, event: dict[str, Any]) -> str | None:
        """None when the event is accepted, else why the model refuses it."""
        try:
            self._check(event)
        except Broken as broken:
            return str(broken)
        return None

    def _check(self, event: dict[str, Any]) -> None:
        kind, on = event["type"], date.fromisoformat(event["on"])
        if event["id"] in self.contents:
            if self.contents[event["id"]] != event:
                raise Broken("id stored with other content")
            return
        if "dwelling" in event and "case" not in event:
            self._check_dwelling_event(event, on)
            return
        ref = event["case"]
        if kind == "CaseOpened":
            if ref in self.cases:
                raise Broken("case ref taken")
            return
        if ref not in self.cases:
            raise Broken("unknown case")
        if kind == "EventRetracted":
            target = event["target"]
            found = [e for e in self.cases[ref] if e.id == target]
            if not found or found[0].type in ("CaseOpened", "EventRetracted"):
                raise Broken("target not retractable")
            if target not in {e.id for e in self.effective(ref)}:
                raise Broken("target already retracted")
            after = fold(self.effective(ref, without=target), self.dwellings)
        else:
            proposed = self._ev(event, self.seq + 1)
            after = fold([*self.effective(ref), proposed], self.dwellings)
        self._check_occupancy(ref, by_dwelling(after))

    def _check_dwelling_event(self, event: dict[str, Any], on: date) -> None:
        ref = event["dwelling"]
        if event["type"] == "DwellingRegistered":
            if ref in self.dwellings:
                raise Broken("dwelling ref taken")
            return
        facts = self.dwellings.get(ref)
        if facts is None:
            raise Broken("unknown dwelling")
        if facts.retired_on is not None or on < facts.registered_on:
            raise Broken("retired already, or before its registration")
        for case in self.cases:
            for start, end in self.intervals(case).get(ref, []):
                if end is None or end > on:
                    raise Broken(f"{case} lives there from {start}")

    def _check_occupancy(self, ref: str, mine: dict[str, list[tuple[date, date | None]]]) -> None:
        for dwelling, intervals in mine.items():
            facts = self.dwellings[dwelling]
            for interval in intervals:
                if facts.retired_on is not None and (
                    interval[1] is None or interval[1] > facts.retired_on
                ):
                    raise Broken("lives in a retired dwelling")
                for other in self.cases:
                    if other == ref:
                        continue
                    for theirs in self.intervals(other).get(dwelling, []):
                        if overlaps(interval, theirs):
                            raise Broken(f"{dwelling} holds {other}")

    def _ev(self, event: dict[str, Any], seq: int) -> Ev:
        envelope = ("id", "type", "case", "dwelling", "on", "by", "note")
        fields = {k: v for k, v in event.items() if k not in envelope}
        return Ev(
            event["id"],
            event["type"],
            date.fromisoformat(event["on"]),
            seq,
            fields,
            event.get("dwelling") if "case" in event else None,
        )

    def accept(self, event: dict[str, Any]) -> None:
        """Record an event the system stored (new ids only)."""
        if event["id"] in self.contents:
            return
        self.contents[event["id"]] = event
        self.seq += 1
        if "case" in event:
            self.cases.setdefault(event["case"], []).append(self._ev(event, self.seq))
            return
        ref, on = event["dwelling"], date.fromisoformat(event["on"])
        self.dwelling_events.setdefault(ref, []).append(event["id"])
        if event["type"] == "DwellingRegistered":
            self.dwellings[ref] = DwellingFacts(on, event["category"])
        else:
            self.dwellings[ref].retired_on = on


def by_dwelling(state: Fold) -> dict[str, list[tuple[date, date | None]]]:
    out: dict[str, list[tuple[date, date | None]]] = {}
    for s in state.settlements:
        if s.dwelling is not None:
            out.setdefault(s.dwelling, []).append((s.start, s.end))
    return out
