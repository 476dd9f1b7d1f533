"""A stream's recorded events, the ones that count, and day spans built from them.

Every figure reads a case's history ordered by (`on`, recording order), without retracted
events and without the retractions themselves. A state "on day D" is the state after the last
event with `on` ≤ D, so a span [from_on, to_on) holds the days from_on ≤ D < to_on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

END_OF_TIME = "9999-12-31"

S = TypeVar("S")


@dataclass(frozen=True)
class Recorded:
    """One stored event of a stream, with its position in the recording order."""

    position: int
    event: Mapping[str, Any]

    @property
    def type(self) -> str:
        return str(self.event["type"])

    @property
    def on(self) -> str:
        return str(self.event["on"])

    @property
    def id(self) -> str:
        return str(self.event["id"])

    def field(self, name: str) -> Any:
        return self.event.get(name)


@dataclass(frozen=True)
class Span(Generic[S]):
    """A state held on the days from_on ≤ D < to_on (ISO dates; to_on may be END_OF_TIME)."""

    from_on: str
    to_on: str
    state: S


def counting_events(history: Iterable[Recorded]) -> list[Recorded]:
    """The events that count in figures, in (on, recording order): retracted events and the
    retractions themselves left out, whatever the retraction's own date."""
    events = list(history)
    retracted = {str(e.field("target")) for e in events if e.type == "EventRetracted"}
    kept = [e for e in events if e.type != "EventRetracted" and e.id not in retracted]
    return sorted(kept, key=lambda e: (e.on, e.position))


def spans(states: Iterable[tuple[str, S | None]]) -> list[Span[S]]:
    """Spans from (on, state after the event) pairs in history order; None means no span.

    The state on a day is the one after that day's last event; equal neighbours merge.
    """
    end_of_day: dict[str, S | None] = {}
    for on, state in states:
        end_of_day[on] = state
    result: list[Span[S]] = []
    current: S | None = None
    current_from = ""
    for on, state in end_of_day.items():
        if state == current:
            continue
        if current is not None:
            result.append(Span(current_from, on, current))
        current, current_from = state, on
    if current is not None:
        result.append(Span(current_from, END_OF_TIME, current))
    return result


class SpanBuilder(Generic[S]):
    """The spans of `spans` built one (on, state) pair at a time, days never going back: the
    spans that ended before the last day are kept, the rest is worked out when asked."""

    def __init__(self) -> None:
        self.ended: list[Span[S]] = []
        self.current: S | None = None
        self.current_from = ""
        self.last_day: str | None = None
        self.last_state: S | None = None

    def add(self, on: str, state: S | None) -> None:
        """The state after an event dated `on` (not before the previous one's day)."""
        if self.last_day is not None and on != self.last_day:
            self._close_day(self.last_day, self.last_state)
        self.last_day, self.last_state = on, state

    def spans(self) -> list[Span[S]]:
        result = list(self.ended)
        current, current_from = self.current, self.current_from
        if self.last_day is not None and self.last_state != current:
            if current is not None:
                result.append(Span(current_from, self.last_day, current))
            current, current_from = self.last_state, self.last_day
        if current is not None:
            result.append(Span(current_from, END_OF_TIME, current))
        return result

    def _close_day(self, on: str, state: S | None) -> None:
        if state == self.current:
            return
        if self.current is not None:
            self.ended.append(Span(self.current_from, on, self.current))
        self.current, self.current_from = state, on


def day(iso: str) -> date:
    return date.fromisoformat(iso)


def iso(value: date) -> str:
    return value.isoformat()


def days_between(start: str, end: str) -> int:
    return (day(end) - day(start)).days


def shift(iso_date: str, days: int) -> str:
    return iso(day(iso_date) + timedelta(days=days))


def lower_median(values: Sequence[int]) -> int | None:
    """The lower of the two middle values (the middle one for an odd count); None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def lower_median_of_counts(counted: Sequence[tuple[int, int]]) -> int | None:
    """The lower median of values given as (value, how many times) pairs."""
    ordered = sorted(counted)
    total = sum(n for _, n in ordered)
    if total == 0:
        return None
    wanted, seen = (total - 1) // 2, 0
    for value, n in ordered:
        seen += n
        if seen > wanted:
            return value
    return ordered[-1][0]
