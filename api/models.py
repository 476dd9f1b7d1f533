"""Request and response bodies of the API (reports are in report_models.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api import examples
from domain.refs import EARLIEST_DATE, ID_REGEX, ID_RULE, LATEST_DATE, REF_REGEX, REF_RULE


class EventIn(BaseModel):
    """One event in the interchange format of docs/events.md; the type decides the other keys.

    `by` is always set to the signed-in user. Unknown keys are refused by the event rules.
    """

    model_config = ConfigDict(
        extra="allow", json_schema_extra={"examples": [examples.FOLLOW_UP, examples.CASE_OPENED]}
    )

    id: str = Field(
        pattern=ID_REGEX, description=f"unique event id chosen by the writer, {ID_RULE}"
    )
    type: str = Field(description="event type, e.g. FollowUpLogged")
    case: str | None = Field(
        None, pattern=REF_REGEX, description=f"case ref, for case events: {REF_RULE}"
    )
    dwelling: str | None = Field(
        None, pattern=REF_REGEX, description=f"dwelling ref, for dwelling events: {REF_RULE}"
    )
    on: date = Field(
        description=f"business date (Europe/Oslo), {EARLIEST_DATE} to {LATEST_DATE}, not in"
        " the future"
    )
    note: str | None = Field(
        None,
        max_length=2000,
        description="free text, treated as personal data: no control or invisible characters"
        " but newline and tab (docs/refs.md)",
    )


class EventStored(BaseModel):
    """The event is stored (or was already stored with the same content)."""

    id: str = Field(examples=["ev-0008952"])


class EventsStored(BaseModel):
    """Every event of the batch is stored (or was already), in the order sent."""

    ids: list[str] = Field(examples=[["ev-0008952", "ev-0003696"]])


class ErrorDetail(BaseModel):
    """One reason: a refused line of the submission, or a parameter of the wrong form.

    `code` is the stable name of the rule or check that refused it (domain/rules.py, the format
    checks of domain/payloads/checks.py, or a kind of refusal such as `unknown_case`); `message`
    says it in Norwegian, from the label catalogue, naming the conflicting facts in plain words;
    `detail_en` keeps the contract's English reason, as `boligspor import` gives it."""

    line: int | None = Field(None, description="position of the event in the request, from 1")
    event_id: str | None = None
    code: str | None = Field(
        None,
        description="the stable name of the rule or check (or pydantic's error type)",
        examples=["dwelling_occupied"],
    )
    kind: str | None = Field(
        None,
        description="the kind of refusal: invalid_event, rule_broken, unknown_case, …",
        examples=["rule_broken"],
    )
    field: str | None = Field(
        None, description="the field at fault, a dotted path; none: the event as a whole"
    )
    message: str = Field(
        description="the reason in Norwegian, for a person",
        examples=["Boligen i Storgata 3 bebos av en annen sak fra 1.3.2024 til 1.9.2024."],
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="the facts the message names (dates YYYY-MM-DD); never a submitted value",
    )
    detail_en: str | None = Field(
        None,
        description="the contract's English reason, as the import gives it (no submitted value)",
        examples=["dwelling B-1 holds S-1 from 2024-03-01 to the day before 2024-09-01"],
    )


class ErrorInfo(BaseModel):
    code: str = Field(examples=["rule_broken"])
    message: str = Field(examples=["Hendelsen bryter en regel for saken eller boligen."])
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
    """Every refusal has this shape; no submitted values, no stack traces."""

    error: ErrorInfo


class Household(BaseModel):
    adults: int
    children: int


class WaitingListPlace(BaseModel):
    joined_on: date
    priority: str


class StayNow(BaseModel):
    stay: str
    kind: str
    started_on: date


class SettlementNow(BaseModel):
    tenure: str
    dwelling: str | None
    settled_on: date
    lease_until: date | None


class CaseSummary(BaseModel):
    """A case's state today, without personal data."""

    ref: str = Field(examples=["S-00965"])
    open: bool
    group: str
    household: Household
    situation: str
    waiting_list: WaitingListPlace | None
    temporary_stay: StayNow | None
    settlement: SettlementNow | None
    housing_first: bool
    teams: list[str] = Field(description="teams the case belongs to (follow-ups, Housing First)")


class CasePage(BaseModel):
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


class Person(BaseModel):
    """The household's contact person; erased cases read `[slettet]`."""

    name: str
    national_id: str | None = None
    phone: str | None = None


class CaseDetail(CaseSummary):
    """A case's state today with its contact person (the read is logged)."""

    person: Person
    restricted: bool
    erased: bool


class HistoryEntry(BaseModel):
    event: dict[str, Any] = Field(description="the event in the interchange format")
    recorded_at: datetime
    retracted_by: str | None
    retraction_reason: str | None
    erased: bool


class CaseHistory(BaseModel):
    case: str
    items: list[HistoryEntry]


class AccessLogEntry(BaseModel):
    at: datetime
    user: str
    role: str
    case: str
    route: str
    reason: str | None
    flagged: bool = Field(description="a read outside the reader's team, with a stated reason")


class DwellingOut(BaseModel):
    ref: str = Field(examples=["B-0984"])
    category: str
    district: str
    rooms: int
    registered_on: date
    retired_on: date | None
    retirement_reason: str | None
    occupied: bool = Field(description="a case is settled in it today")
    address: str | None = None


class DwellingPage(BaseModel):
    items: list[DwellingOut]
    total: int
    limit: int
    offset: int


class WaitingListEntry(BaseModel):
    case: str
    priority: str
    joined_on: date
    days_waiting: int
    group: str


class WaitingList(BaseModel):
    as_of: date
    total: int
    items: list[WaitingListEntry]


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    database: str = Field(examples=["reachable"])
    read_model_lag: dict[str, int] = Field(
        description="events each read model is behind the event store"
    )


class UserOut(BaseModel):
    name: str
    role: str
    team: str | None
    created_at: datetime
    active: bool = Field(description="false once deactivated: the token and sessions stop")


class CaseAction(BaseModel):
    """Why an admin erases or restricts a case, or lifts its restriction."""

    reason: str = Field(min_length=1, max_length=500, examples=["Oppbevaringstiden er ute"])


class RestrictionOut(BaseModel):
    """A restriction of a case (`restricted`) or the lifting of one (`lifted`)."""

    at: str = Field(examples=["2026-11-21T12:00:00+00:00"])
    by: str
    action: str = Field(examples=["restricted"], description="`restricted` or `lifted`")
    reason: str = Field(description="as stated; «[slettet]» once the case is erased")


class Readiness(BaseModel):
    status: str = Field(
        examples=["ready"], description="`ready`, or `catching_up` while read models lag"
    )
    database: str = Field(examples=["reachable"])
    read_model_lag: dict[str, int] = Field(
        description="events each read model is behind the event store"
    )
    lag_events: int = Field(description="the largest lag of any read model", examples=[0])
