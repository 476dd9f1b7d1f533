"""The event payloads of EVENTS.md: one class per event type, named after it, each field
declared once with its rule (domain/payloads/fields.py). `PAYLOADS` lists them in contract order;
`own_fields(kind)` is what the import, the JSON Schema and the web forms read.

A refusal names its broken rule: domain/payloads/checks.py lists the rule names.

Longer than 300 lines because it holds the contract's 25 event types, one class each, side by
side where a newcomer looks for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar

from domain import values as v
from domain.payloads.fields import (
    BY,
    DAY,
    EVENT_ID,
    HOUSEHOLD_MAX,
    NOTE,
    PERSONAL,
    REASON,
    REF,
    ROOMS_MAX,
    Configured,
    FieldSpec,
    Integer,
    NationalId,
    OneOf,
    Shape,
    Text,
    declared_fields,
)

ENVELOPE_KEYS = ("id", "type", "case", "dwelling", "on", "by", "note")


@dataclass(frozen=True, kw_only=True)
class Household:
    adults: Annotated[int, Integer(1, HOUSEHOLD_MAX)]
    children: Annotated[int, Integer(0, HOUSEHOLD_MAX)]


@dataclass(frozen=True, kw_only=True)
class Person:
    name: Annotated[str, Text(1, 200)]
    national_id: Annotated[str | None, NationalId()] = None
    phone: Annotated[str | None, Text(1, 32, controls="")] = None


@dataclass(frozen=True, kw_only=True)
class Envelope:
    """What every event carries: its id, the business date `on`, who logged it, a note."""

    id: Annotated[str, EVENT_ID]
    on: Annotated[str, DAY]
    by: Annotated[str | None, BY] = None
    note: Annotated[str | None, NOTE, PERSONAL] = None
    example: ClassVar[dict[str, Any] | None] = None


@dataclass(frozen=True, kw_only=True)
class CaseEvent(Envelope):
    """An event of a case's history (`case` is its ref)."""

    case: Annotated[str, REF]


@dataclass(frozen=True, kw_only=True)
class CaseEventAtDwelling(CaseEvent):
    """A case event that may name a dwelling too."""

    dwelling: Annotated[str | None, REF] = None


@dataclass(frozen=True, kw_only=True)
class DwellingEvent(Envelope):
    """An event of a dwelling's history (`dwelling` is its ref)."""

    dwelling: Annotated[str, REF]


@dataclass(frozen=True, kw_only=True)
class CaseOpened(CaseEvent):
    household: Annotated[Household, Shape(Household)]
    group: Annotated[str, OneOf(v.GROUPS, "group")]
    situation: Annotated[str, OneOf(v.SITUATIONS, "situation")]
    person: Annotated[Person, Shape(Person), PERSONAL]
    example: ClassVar[dict[str, Any] | None] = {
        "id": "c1",
        "type": "CaseOpened",
        "case": "S-1",
        "on": "2023-01-10",
        "household": {"adults": 1, "children": 2},
        "group": "families",
        "situation": "friends_family",
        "person": {"name": "Kari Nordmann"},
    }


@dataclass(frozen=True, kw_only=True)
class ApplicationReceived(CaseEvent):
    pass


PRIORITY = OneOf(v.PRIORITIES, "priority")


@dataclass(frozen=True, kw_only=True)
class ApplicationDecided(CaseEvent):
    decision: Annotated[str, OneOf(v.DECISIONS, "decision")]
    priority: Annotated[str | None, PRIORITY] = None
    legal_basis: Annotated[str | None, REASON, PERSONAL] = None


@dataclass(frozen=True, kw_only=True)
class AppealReceived(CaseEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class AppealDecided(CaseEvent):
    outcome: Annotated[str, OneOf(v.APPEAL_OUTCOMES, "appeal_outcome")]
    priority: Annotated[str | None, PRIORITY] = None


@dataclass(frozen=True, kw_only=True)
class GroupChanged(CaseEvent):
    group: Annotated[str, OneOf(v.GROUPS, "group")]


@dataclass(frozen=True, kw_only=True)
class HouseholdChanged(CaseEvent):
    household: Annotated[Household, Shape(Household)]


@dataclass(frozen=True, kw_only=True)
class SituationChanged(CaseEvent):
    situation: Annotated[str, OneOf(v.SITUATIONS, "situation")]


@dataclass(frozen=True, kw_only=True)
class TemporaryStayStarted(CaseEvent):
    stay: Annotated[str, REF]
    kind: Annotated[str, OneOf(v.STAY_KINDS, "stay_kind")]
    place: Annotated[str | None, Text(0, 200), PERSONAL] = None
    example: ClassVar[dict[str, Any] | None] = {
        "id": "t1",
        "type": "TemporaryStayStarted",
        "case": "S-1",
        "on": "2023-02-01",
        "stay": "t1",
        "kind": "hotel",
    }


@dataclass(frozen=True, kw_only=True)
class TemporaryStayEnded(CaseEvent):
    stay: Annotated[str, REF]


@dataclass(frozen=True, kw_only=True)
class Settled(CaseEventAtDwelling):
    tenure: Annotated[str, OneOf(v.TENURES, "tenure")]
    lease_until: Annotated[str | None, DAY] = None


@dataclass(frozen=True, kw_only=True)
class LeaseRenewed(CaseEvent):
    lease_until: Annotated[str, DAY]


@dataclass(frozen=True, kw_only=True)
class MovedOut(CaseEvent):
    reason: Annotated[str, OneOf(v.MOVE_OUT_REASONS, "move_out_reason")]


@dataclass(frozen=True, kw_only=True)
class ComplaintReceived(CaseEventAtDwelling):
    complaint: Annotated[str, REF]
    category: Annotated[str, OneOf(v.COMPLAINT_CATEGORIES, "complaint_category")]
    source: Annotated[str, OneOf(v.COMPLAINT_SOURCES, "complaint_source")]


@dataclass(frozen=True, kw_only=True)
class ComplaintClosed(CaseEvent):
    complaint: Annotated[str, REF]
    outcome: Annotated[str, OneOf(v.COMPLAINT_OUTCOMES, "complaint_outcome")]


@dataclass(frozen=True, kw_only=True)
class FollowUpLogged(CaseEvent):
    team: Annotated[str, OneOf(v.TEAMS, "team")]
    kind: Annotated[str, OneOf(v.FOLLOW_UP_KINDS, "follow_up_kind")]
    minutes: Annotated[int, Integer(0, 1440)]
    example: ClassVar[dict[str, Any] | None] = {
        "id": "ev-0008952",
        "type": "FollowUpLogged",
        "case": "S-00965",
        "on": "2016-11-11",
        "team": "caretaker",
        "kind": "home_visit",
        "minutes": 30,
    }


@dataclass(frozen=True, kw_only=True)
class ConcernReported(CaseEvent):
    to: Annotated[str, OneOf(v.CONCERN_RECIPIENTS, "concern_recipient")]


@dataclass(frozen=True, kw_only=True)
class HousingFirstEnrolled(CaseEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class HousingFirstEnded(CaseEvent):
    reason: Annotated[str, OneOf(v.HOUSING_FIRST_END_REASONS, "housing_first_end_reason")]


@dataclass(frozen=True, kw_only=True)
class Withdrawn(CaseEvent):
    reason: Annotated[str, OneOf(v.WITHDRAWAL_REASONS, "withdrawal_reason")]


@dataclass(frozen=True, kw_only=True)
class CaseClosed(CaseEvent):
    reason: Annotated[str, REASON, PERSONAL]


@dataclass(frozen=True, kw_only=True)
class CaseReopened(CaseEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class EventRetracted(CaseEvent):
    target: Annotated[str, EVENT_ID]
    reason: Annotated[str, REASON, PERSONAL]


@dataclass(frozen=True, kw_only=True)
class DwellingRegistered(DwellingEvent):
    category: Annotated[str, OneOf(v.CATEGORIES, "category")]
    district: Annotated[str, Text(1, 40), Configured("district")]
    rooms: Annotated[int, Integer(0, ROOMS_MAX)]
    address: Annotated[str | None, Text(0, 200)] = None


@dataclass(frozen=True, kw_only=True)
class DwellingRetired(DwellingEvent):
    reason: Annotated[str, OneOf(v.RETIREMENT_REASONS, "retirement_reason")]


PAYLOADS: dict[str, type[Envelope]] = {
    cls.__name__: cls
    for cls in (
        CaseOpened,
        ApplicationReceived,
        ApplicationDecided,
        AppealReceived,
        AppealDecided,
        GroupChanged,
        HouseholdChanged,
        SituationChanged,
        TemporaryStayStarted,
        TemporaryStayEnded,
        Settled,
        LeaseRenewed,
        MovedOut,
        ComplaintReceived,
        ComplaintClosed,
        FollowUpLogged,
        ConcernReported,
        HousingFirstEnrolled,
        HousingFirstEnded,
        Withdrawn,
        CaseClosed,
        CaseReopened,
        EventRetracted,
        DwellingRegistered,
        DwellingRetired,
    )
}


def envelope_fields(kind: str) -> tuple[FieldSpec, ...]:
    """The envelope keys' declarations (`id`, `on`, `by`, `note`, `case`, `dwelling`) on `kind`."""
    return tuple(spec for spec in declared_fields(PAYLOADS[kind]) if spec.name in ENVELOPE_KEYS)


@cache
def own_fields(kind: str) -> tuple[FieldSpec, ...]:
    """The fields of event type `kind` beyond the envelope, in declaration order."""
    return tuple(spec for spec in declared_fields(PAYLOADS[kind]) if spec.name not in ENVELOPE_KEYS)


def envelope_keys(kind: str) -> tuple[str, ...]:
    """The envelope keys event type `kind` takes."""
    return (
        "id",
        "type",
        *(s.name for s in declared_fields(PAYLOADS[kind]) if s.name in ENVELOPE_KEYS),
    )


def takes_dwelling(kind: str) -> bool:
    """Whether a case event type may name a dwelling."""
    return issubclass(PAYLOADS[kind], CaseEventAtDwelling)


def field_names() -> frozenset[str]:
    """Every key any event type takes, envelope included."""
    return frozenset({*ENVELOPE_KEYS, *(s.name for kind in PAYLOADS for s in own_fields(kind))})
