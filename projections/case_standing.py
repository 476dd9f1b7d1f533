"""Where one household stands on a day: the case page's summary, from the one fold of a case's
history that feeds every read model (`projections.case_timeline`).

Nothing here decides anew what a stay, a membership or a settlement is: each fact is read off
the timeline's spans and lists with the same day rule the reports use (a state holds on the
days from ≤ D < to), and the numbers are counted as the lists count them (nights in a stay and
days waited: `days_between(start, day)`, as the case list and the waiting list do).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from projections.case_timeline import CaseTimeline, Profile, case_timeline
from projections.db import Transaction
from projections.dwellings import districts_of
from projections.event_log import dwelling_addresses
from projections.history import Recorded, Span, days_between
from projections.source import PERSONAL_KEYS

S = TypeVar("S")


@dataclass(frozen=True)
class Waiting:
    """On the waiting list: since when, with which priority, how many days so far."""

    since: str
    priority: str
    days: int


@dataclass(frozen=True)
class CurrentStay:
    """The temporary stay that holds the night of the day."""

    kind: str
    since: str
    nights: int


@dataclass(frozen=True)
class Housed:
    """Settled: where, on which tenure, the lease's end and the days left of it."""

    since: str
    tenure: str
    dwelling_ref: str | None
    lease_until: str | None
    days_left: int | None
    address: str = ""
    district: str = ""


@dataclass(frozen=True)
class OpenComplaint:
    received_on: str
    category: str


@dataclass(frozen=True)
class LatestFollowUp:
    """A team's latest follow-up on or before the day."""

    team: str
    on: str
    kind: str
    minutes: int


@dataclass(frozen=True)
class Standing:
    """Where the household stands on `day` (ISO dates throughout)."""

    case_ref: str
    day: str
    is_open: bool
    profile: Profile | None
    application_since: str | None
    appeal_since: str | None
    waiting: Waiting | None
    stay: CurrentStay | None
    housed: Housed | None
    housing_first_since: str | None
    open_complaints: tuple[OpenComplaint, ...]
    follow_ups: tuple[LatestFollowUp, ...]
    alerts: tuple[str, ...] = field(default=())


def _on(spans: Sequence[Span[S]], day: str) -> Span[S] | None:
    return next((s for s in spans if s.from_on <= day < s.to_on), None)


def _holds(start: str, end: str | None, day: str) -> bool:
    return start <= day and (end is None or end > day)


def standing_on(timeline: CaseTimeline, day: str) -> Standing:
    """The household's standing on the day, read off its timeline."""
    profile = _on(timeline.profile_spans, day)
    waiting = _on(timeline.waiting_spans, day)
    lease = _on(timeline.lease_spans, day)
    application = next(
        (a for a in timeline.applications if _holds(a.received_on, a.ended_on, day)), None
    )
    appeal = next((a for a in timeline.appeals if _holds(a.received_on, a.ended_on, day)), None)
    stay = next((s for s in timeline.stays if _holds(s.started_on, s.ended_on, day)), None)
    settled = next((s for s in timeline.settlements if _holds(s.settled_on, s.ended_on, day)), None)
    enrolment = next(
        (e for e in timeline.enrolments if _holds(e.enrolled_on, e.ended_on, day)), None
    )
    latest: dict[str, LatestFollowUp] = {}
    for on, team, kind, minutes in timeline.follow_ups:
        if on <= day:
            latest[team] = LatestFollowUp(team, on, kind, minutes)
    lease_until = lease.state if lease is not None else None
    return Standing(
        case_ref=timeline.case_ref,
        day=day,
        is_open=_on(timeline.open_spans, day) is not None,
        profile=profile.state if profile is not None else None,
        application_since=application.received_on if application is not None else None,
        appeal_since=appeal.received_on if appeal is not None else None,
        waiting=None
        if waiting is None
        else Waiting(
            waiting.state.joined_on,
            waiting.state.priority,
            days_between(waiting.state.joined_on, day),
        ),
        stay=None
        if stay is None
        else CurrentStay(stay.kind, stay.started_on, days_between(stay.started_on, day)),
        housed=None
        if settled is None
        else Housed(
            settled.settled_on,
            settled.tenure,
            settled.dwelling_ref,
            lease_until,
            None if lease_until is None else days_between(day, lease_until),
        ),
        housing_first_since=enrolment.enrolled_on if enrolment is not None else None,
        open_complaints=tuple(
            OpenComplaint(c.received_on, c.category)
            for c in timeline.complaints
            if _holds(c.received_on, c.closed_on, day)
        ),
        follow_ups=tuple(sorted(latest.values(), key=lambda f: f.team)),
    )


def standing_from_events(case_ref: str, events: Iterable[Mapping[str, Any]], day: str) -> Standing:
    """The standing from a case's interchange events in recording order (retractions
    included), their personal fields left out as the read models leave them out."""
    history = [
        Recorded(position, {k: v for k, v in event.items() if k not in PERSONAL_KEYS})
        for position, event in enumerate(events, start=1)
    ]
    return standing_on(case_timeline(case_ref, history), day)


def with_dwelling(tx: Transaction, standing: Standing) -> Standing:
    """The standing with its dwelling's address and school district (codes) filled in from
    the dwelling read models."""
    housed = standing.housed
    if housed is None or housed.dwelling_ref is None:
        return standing
    ref = housed.dwelling_ref
    address = dwelling_addresses(tx, [ref]).get(ref, "")
    district = districts_of(tx, [ref]).get(ref, "")
    return replace(standing, housed=replace(housed, address=address, district=district))


def with_alerts(standing: Standing, alerts: Iterable[str]) -> Standing:
    return replace(standing, alerts=tuple(alerts))
