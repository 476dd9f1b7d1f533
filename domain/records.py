"""The interchange format of EVENTS.md: one JSON object per line, checked field by field."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain import values as v
from domain.errors import InvalidEvent
from domain.municipality import MOSS
from domain.national_id import national_id_problem
from domain.refs import (
    ALPHABET_SHOWN,
    EARLIEST_DATE,
    FREE_TEXT_CONTROLS,
    ID_MAX,
    ID_PATTERN,
    LATEST_DATE,
    REF_MAX,
    REF_PATTERN,
    code_point,
    hidden_character,
    outside_alphabet,
)

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
# Counts have a ceiling, so that every stored count fits every backend's integer column.
HOUSEHOLD_MAX = 99  # adults, and children, in one household
ROOMS_MAX = 999
PERSONAL_KEYS = ("person", "note", "place")
# Free text that can name people, sealed with the case key like `note` (type, key).
SEALED_TEXT = {
    ("CaseClosed", "reason"),
    ("EventRetracted", "reason"),
    ("ApplicationDecided", "legal_basis"),
}
ENVELOPE_KEYS = ("id", "type", "case", "dwelling", "on", "by", "note")

Check = Callable[[str, Any], Any]


def _enum(options: tuple[str, ...]) -> Check:
    def check(name: str, value: Any) -> Any:
        if not isinstance(value, str) or value not in options:
            raise InvalidEvent(
                f"{name} must be one of {', '.join(options)} (got {_shown(value)})", name
            )
        return value

    return check


def _text(low: int, high: int, controls: str = FREE_TEXT_CONTROLS) -> Check:
    """A string of `low`–`high` characters a person can see (and the `controls` allowed)."""

    def check(name: str, value: Any) -> Any:
        if not isinstance(value, str):
            raise InvalidEvent(f"{name} must be a string", name)
        if not low <= len(value) <= high:
            raise InvalidEvent(f"{name} must be {low}–{high} characters (got {len(value)})", name)
        hidden = hidden_character(value, controls)
        if hidden is not None:
            position, character = hidden
            allowed = " (newline and tab are allowed)" if controls else ""
            raise InvalidEvent(
                f"{name} holds a control or invisible character, {code_point(character)} at"
                f" position {position}{allowed}",
                name,
            )
        return value

    return check


def _integer(low: int, high: int | None = None) -> Check:
    def check(name: str, value: Any) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidEvent(f"{name} must be an integer (got {_shown(value)})", name)
        if value < low or (high is not None and value > high):
            bound = f"{low}–{high}" if high is not None else f"≥ {low}"
            raise InvalidEvent(f"{name} must be {bound} (got {value})", name)
        return value

    return check


def parse_date(name: str, value: Any) -> date:
    """A YYYY-MM-DD string that is a real date."""
    if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
        raise InvalidEvent(f"{name} must be a date YYYY-MM-DD (got {_shown(value)})", name)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidEvent(f"{name} {value} is not a real date", name) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InvalidEvent(
            f"{name} must lie from {EARLIEST_DATE} to {LATEST_DATE} (got {value})", name
        )
    return day


def _date(name: str, value: Any) -> Any:
    parse_date(name, value)
    return value


def _in_alphabet(name: str, value: Any, pattern: re.Pattern[str], most: int) -> str:
    if isinstance(value, str) and pattern.fullmatch(value):
        return value
    rule = f"{name} must be 1–{most} characters of {ALPHABET_SHOWN}"
    if not isinstance(value, str) or not 1 <= len(value) <= most:
        raise InvalidEvent(rule, name)
    found = outside_alphabet(value)
    assert found is not None
    position, character = found
    raise InvalidEvent(f"{rule} ({code_point(character)} at position {position})", name)


def _event_id(name: str, value: Any) -> Any:
    return _no_national_id(name, _in_alphabet(name, value, ID_PATTERN, ID_MAX))


ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{11}(?!\d)")


def _no_national_id(name: str, value: str) -> str:
    """Ids and refs travel in URLs, logs and answers: they must not carry a national id."""
    for run in ELEVEN_DIGITS.findall(value):
        if national_id_problem(run) is None:
            raise InvalidEvent(
                f"{name} looks like a national identity number; use a reference without"
                " personal data",
                name,
            )
    return value


_BY_TEXT = _text(1, 64, controls="")
_NOTE_TEXT = _text(0, 2000)


def _ref(name: str, value: Any) -> Any:
    return _no_national_id(name, _in_alphabet(name, value, REF_PATTERN, REF_MAX))


def _household(name: str, value: Any) -> Any:
    if not isinstance(value, dict):
        raise InvalidEvent(f"{name} must be an object {{adults, children}}", name)
    _exact_keys(name, value, required=("adults", "children"), optional=())
    _integer(1, HOUSEHOLD_MAX)(f"{name}.adults", value["adults"])
    _integer(0, HOUSEHOLD_MAX)(f"{name}.children", value["children"])
    return {"adults": value["adults"], "children": value["children"]}


def _person(name: str, value: Any) -> Any:
    if not isinstance(value, dict):
        raise InvalidEvent(f"{name} must be an object {{name, national_id?, phone?}}", name)
    _exact_keys(name, value, required=("name",), optional=("national_id", "phone"))
    _text(1, 200)(f"{name}.name", value["name"])
    person = {"name": value["name"]}
    if "national_id" in value:
        problem = national_id_problem(value["national_id"])
        if problem:
            raise InvalidEvent(f"{name}.national_id: {problem}", f"{name}.national_id")
        person["national_id"] = value["national_id"]
    if "phone" in value:
        person["phone"] = _text(1, 32, controls="")(f"{name}.phone", value["phone"])
    return person


def _exact_keys(
    where: str, obj: Mapping[str, Any], required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    for key in obj:
        if key not in required and key not in optional:
            raise InvalidEvent(f"unknown key {where}.{key}", f"{where}.{key}")
    for key in required:
        if key not in obj:
            raise InvalidEvent(f"missing {where}.{key}", f"{where}.{key}")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


REF = _ref
REASON = _text(1, 500)

# type -> (required fields, optional fields); "case"/"dwelling" envelope keys handled apart.
FIELDS: dict[str, tuple[dict[str, Check], dict[str, Check]]] = {
    "CaseOpened": (
        {
            "household": _household,
            "group": _enum(v.GROUPS),
            "situation": _enum(v.SITUATIONS),
            "person": _person,
        },
        {},
    ),
    "ApplicationReceived": ({}, {}),
    "ApplicationDecided": (
        {"decision": _enum(v.DECISIONS)},
        {"priority": _enum(v.PRIORITIES), "legal_basis": REASON},
    ),
    "AppealReceived": ({}, {}),
    "AppealDecided": ({"outcome": _enum(v.APPEAL_OUTCOMES)}, {"priority": _enum(v.PRIORITIES)}),
    "GroupChanged": ({"group": _enum(v.GROUPS)}, {}),
    "HouseholdChanged": ({"household": _household}, {}),
    "SituationChanged": ({"situation": _enum(v.SITUATIONS)}, {}),
    "TemporaryStayStarted": (
        {"stay": REF, "kind": _enum(v.STAY_KINDS)},
        {"place": _text(0, 200)},
    ),
    "TemporaryStayEnded": ({"stay": REF}, {}),
    "Settled": ({"tenure": _enum(v.TENURES)}, {"lease_until": _date}),
    "LeaseRenewed": ({"lease_until": _date}, {}),
    "MovedOut": ({"reason": _enum(v.MOVE_OUT_REASONS)}, {}),
    "ComplaintReceived": (
        {
            "complaint": REF,
            "category": _enum(v.COMPLAINT_CATEGORIES),
            "source": _enum(v.COMPLAINT_SOURCES),
        },
        {},
    ),
    "ComplaintClosed": ({"complaint": REF, "outcome": _enum(v.COMPLAINT_OUTCOMES)}, {}),
    "FollowUpLogged": (
        {"team": _enum(v.TEAMS), "kind": _enum(v.FOLLOW_UP_KINDS), "minutes": _integer(0, 1440)},
        {},
    ),
    "ConcernReported": ({"to": _enum(v.CONCERN_RECIPIENTS)}, {}),
    "HousingFirstEnrolled": ({}, {}),
    "HousingFirstEnded": ({"reason": _enum(v.HOUSING_FIRST_END_REASONS)}, {}),
    "Withdrawn": ({"reason": _enum(v.WITHDRAWAL_REASONS)}, {}),
    "CaseClosed": ({"reason": REASON}, {}),
    "CaseReopened": ({}, {}),
    "EventRetracted": ({"target": _event_id, "reason": REASON}, {}),
    "DwellingRegistered": (
        {
            "category": _enum(v.CATEGORIES),
            "district": _text(1, 40),
            "rooms": _integer(0, ROOMS_MAX),
        },
        {"address": _text(0, 200)},
    ),
    "DwellingRetired": ({"reason": _enum(v.RETIREMENT_REASONS)}, {}),
}
CASE_TYPES_WITH_DWELLING = ("Settled", "ComplaintReceived")


def _allowed_keys(kind: str) -> frozenset[str]:
    required, optional = FIELDS[kind]
    allowed = set(required) | set(optional) | {"id", "type", "on", "by", "note"}
    if kind in v.CASE_EVENT_TYPES:
        allowed.add("case")
        if kind in CASE_TYPES_WITH_DWELLING:
            allowed.add("dwelling")
    else:
        allowed.add("dwelling")
    return frozenset(allowed)


# Per type, computed once: the keys a line may carry, and every field's check in order.
ALLOWED = {kind: _allowed_keys(kind) for kind in FIELDS}
CHECKS = {kind: tuple({**FIELDS[kind][0], **FIELDS[kind][1]}.items()) for kind in FIELDS}


@dataclass(frozen=True)
class EventRecord:
    """One checked event of the interchange format, split into its public and personal parts."""

    id: str
    type: str
    on: date
    case: str | None = None
    dwelling: str | None = None
    by: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)  # type fields, no personal data
    personal: Mapping[str, Any] = field(default_factory=dict)  # person / note / place

    @property
    def stream(self) -> str:
        return "case" if self.case is not None else "dwelling"

    @property
    def ref(self) -> str:
        ref = self.case if self.case is not None else self.dwelling
        assert ref is not None
        return ref

    def content(self) -> dict[str, Any]:
        """Everything but `by`: what duplicates are compared on."""
        out = self.to_json()
        out.pop("by", None)
        return out

    def to_json(self, *, personal: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The interchange object, keys in a stable order."""
        personal = self.personal if personal is None else personal
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.case is not None:
            out["case"] = self.case
        if self.dwelling is not None:
            out["dwelling"] = self.dwelling
        out["on"] = self.on.isoformat()
        if self.by is not None:
            out["by"] = self.by
        required, optional = FIELDS[self.type]
        for key in (*required, *optional):
            if key in self.fields:
                out[key] = self.fields[key]
            elif key in personal:
                out[key] = personal[key]
        if "note" in personal:
            out["note"] = personal["note"]
        return out

    def public_json(self) -> dict[str, Any]:
        """The interchange object without personal fields (what read models may see)."""
        return self.to_json(personal={})


def parse_line(text: str) -> Any:
    """Decode one line of JSON; refuse what is not JSON, nested too deep or a number too long."""
    try:
        return json.loads(text.rstrip("\r\n"))
    except json.JSONDecodeError as error:
        raise InvalidEvent(f"not JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise InvalidEvent("not an event: arrays or objects nested too deep") from None
    except ValueError:  # an integer of more digits than int() converts (sys.int_info)
        raise InvalidEvent("not an event: a number with too many digits") from None


def parse_event(
    obj: Any, *, today: date, districts: Sequence[str] = MOSS.district_codes
) -> EventRecord:
    """Check one decoded object against EVENTS.md; return its record or raise InvalidEvent.

    `districts` are the configured municipality's district codes (domain/municipality.py)."""
    if not isinstance(obj, dict):
        raise InvalidEvent("an event must be a JSON object")
    for key in ("id", "type", "on"):
        if key not in obj:
            raise InvalidEvent(f"missing {key}", key)
    event_id = _event_id("id", obj["id"])
    kind = obj["type"]
    if not isinstance(kind, str) or kind not in FIELDS:
        raise InvalidEvent(f"unknown type {_shown(kind)}", "type")
    required = FIELDS[kind][0]
    allowed = ALLOWED[kind]
    for key in obj:
        if key not in allowed:
            raise InvalidEvent(f"unknown key {key} on {kind}", key)
    ref_key = "case" if kind in v.CASE_EVENT_TYPES else "dwelling"
    if ref_key not in obj:
        raise InvalidEvent(f"missing {ref_key}", ref_key)
    for key in required:
        if key not in obj:
            raise InvalidEvent(f"missing {key}", key)
    on = parse_date("on", obj["on"])
    if on > today:
        raise InvalidEvent(f"on {on.isoformat()} is in the future (today is {today})", "on")
    case = REF("case", obj["case"]) if "case" in obj else None
    dwelling = REF("dwelling", obj["dwelling"]) if "dwelling" in obj else None
    by = _BY_TEXT("by", obj["by"]) if "by" in obj else None
    fields: dict[str, Any] = {}
    personal: dict[str, Any] = {}
    for key, check in CHECKS[kind]:
        if key in obj:
            value = check(key, obj[key])
            if key in PERSONAL_KEYS or (kind, key) in SEALED_TEXT:
                personal[key] = value
            else:
                fields[key] = value
    if "note" in obj:
        personal["note"] = _NOTE_TEXT("note", obj["note"])
    if "district" in fields:
        _enum(tuple(districts))("district", fields["district"])
    _check_combinations(kind, on, fields, dwelling)
    return EventRecord(
        id=event_id,
        type=kind,
        on=on,
        case=case,
        dwelling=dwelling,
        by=by,
        fields=fields,
        personal=personal,
    )


def _check_combinations(
    kind: str, on: date, fields: Mapping[str, Any], dwelling: str | None
) -> None:
    if kind == "ApplicationDecided":
        if fields["decision"] == "approved" and "priority" not in fields:
            raise InvalidEvent("priority is required when the decision is approved", "priority")
        if fields["decision"] == "rejected" and "priority" in fields:
            raise InvalidEvent("priority only when approved (the decision is rejected)", "priority")
    if kind == "AppealDecided":
        if fields["outcome"] == "overturned" and "priority" not in fields:
            raise InvalidEvent("priority is required when the appeal is overturned", "priority")
        if fields["outcome"] == "upheld" and "priority" in fields:
            raise InvalidEvent("priority only when overturned (the appeal is upheld)", "priority")
    if kind == "Settled" and fields["tenure"] in v.MANAGED_TENURES and dwelling is None:
        raise InvalidEvent(f"dwelling is required for tenure {fields['tenure']}", "dwelling")
    if kind in ("Settled", "LeaseRenewed") and "lease_until" in fields:
        until = date.fromisoformat(fields["lease_until"])
        if until <= on:
            raise InvalidEvent(
                f"lease_until {until} must be after on {on.isoformat()}", "lease_until"
            )
