"""The interchange format of EVENTS.md: one JSON object per line, checked field by field with the
checks the payload classes of domain/payloads declare."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain import values as v
from domain.errors import InvalidEvent
from domain.municipality import MOSS
from domain.payloads import ENVELOPE_KEYS, PAYLOADS, CaseEvent, envelope_keys, own_fields
from domain.payloads.checks import Check, check_of, one_of, parse_date, shown
from domain.payloads.fields import declared_fields

__all__ = ["ENVELOPE_KEYS", "REF", "EventRecord", "parse_date", "parse_event", "parse_line"]

_ENVELOPE_CHECKS = {spec.name: check_of(spec.rule) for spec in declared_fields(CaseEvent)}
REF = _ENVELOPE_CHECKS["case"]  # a case's or dwelling's ref (docs/refs.md)
_EVENT_ID = _ENVELOPE_CHECKS["id"]
_BY_TEXT = _ENVELOPE_CHECKS["by"]
_NOTE_TEXT = _ENVELOPE_CHECKS["note"]
_ALWAYS = ("id", "type", "on")


def _allowed_keys(kind: str) -> frozenset[str]:
    return frozenset({*envelope_keys(kind), *(spec.name for spec in own_fields(kind))})


# Per type, computed once from the payload classes: the keys a line may carry, the required
# fields, every field's check in order with whether it is personal, the configured fields.
ALLOWED = {kind: _allowed_keys(kind) for kind in PAYLOADS}
REQUIRED = {kind: tuple(s.name for s in own_fields(kind) if s.required) for kind in PAYLOADS}
CHECKS: dict[str, tuple[tuple[str, Check, bool], ...]] = {
    kind: tuple((s.name, check_of(s.rule), s.personal) for s in own_fields(kind))
    for kind in PAYLOADS
}
CONFIGURED = {kind: tuple(s.name for s in own_fields(kind) if s.configured) for kind in PAYLOADS}
ORDER = {
    kind: (*REQUIRED[kind], *(s.name for s in own_fields(kind) if not s.required))
    for kind in PAYLOADS
}


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
        for key in ORDER[self.type]:
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
        raise InvalidEvent(
            f"not JSON: {error.msg} at column {error.colno}", rule="not_json", column=error.colno
        ) from None
    except RecursionError:
        raise InvalidEvent(
            "not an event: arrays or objects nested too deep", rule="too_deep"
        ) from None
    except ValueError:  # an integer of more digits than int() converts (sys.int_info)
        raise InvalidEvent(
            "not an event: a number with too many digits", rule="number_too_long"
        ) from None


def _missing(key: str) -> InvalidEvent:
    return InvalidEvent(f"missing {key}", key, rule="missing_field", key=key)


def parse_event(
    obj: Any, *, today: date, districts: Sequence[str] = MOSS.district_codes
) -> EventRecord:
    """Check one decoded object against EVENTS.md (the classes of domain/payloads); return its
    record or raise InvalidEvent.

    `districts` are the configured municipality's district codes (domain/municipality.py)."""
    if not isinstance(obj, dict):
        raise InvalidEvent("an event must be a JSON object", rule="not_an_object", shape="event")
    for key in _ALWAYS:
        if key not in obj:
            raise _missing(key)
    event_id = _EVENT_ID("id", obj["id"])
    kind = obj["type"]
    if not isinstance(kind, str) or kind not in PAYLOADS:
        raise InvalidEvent(f"unknown type {shown(kind)}", "type", rule="unknown_type", got=kind)
    allowed = ALLOWED[kind]
    for key in obj:
        if key not in allowed:
            raise InvalidEvent(
                f"unknown key {key} on {kind}", key, rule="unknown_field", key=key, type=kind
            )
    ref_key = "case" if kind in v.CASE_EVENT_TYPES else "dwelling"
    if ref_key not in obj:
        raise _missing(ref_key)
    for key in REQUIRED[kind]:
        if key not in obj:
            raise _missing(key)
    on = parse_date("on", obj["on"])
    if on > today:
        raise InvalidEvent(
            f"on {on.isoformat()} is in the future (today is {today})",
            "on",
            rule="date_in_future",
            got=on.isoformat(),
            today=today.isoformat(),
        )
    case = REF("case", obj["case"]) if "case" in obj else None
    dwelling = REF("dwelling", obj["dwelling"]) if "dwelling" in obj else None
    by = _BY_TEXT("by", obj["by"]) if "by" in obj else None
    fields: dict[str, Any] = {}
    personal: dict[str, Any] = {}
    for key, check, is_personal in CHECKS[kind]:
        if key in obj:
            value = check(key, obj[key])
            if is_personal:
                personal[key] = value
            else:
                fields[key] = value
    if "note" in obj:
        personal["note"] = _NOTE_TEXT("note", obj["note"])
    for key in CONFIGURED[kind]:
        if key in fields:
            one_of(tuple(districts))(key, fields[key])
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


def _required_when(key: str, when: str, value: str, message: str) -> InvalidEvent:
    return InvalidEvent(message, key, rule="required_when", key=key, when=when, value=value)


def _only_when(key: str, when: str, value: str, message: str) -> InvalidEvent:
    return InvalidEvent(message, key, rule="only_when", key=key, when=when, value=value)


def _check_combinations(
    kind: str, on: date, fields: Mapping[str, Any], dwelling: str | None
) -> None:
    """What one line decides beyond its keys and values (domain/schema.py says it as well)."""
    if kind == "ApplicationDecided":
        if fields["decision"] == "approved" and "priority" not in fields:
            raise _required_when(
                "priority",
                "decision",
                "approved",
                "priority is required when the decision is approved",
            )
        if fields["decision"] == "rejected" and "priority" in fields:
            raise _only_when(
                "priority",
                "decision",
                "approved",
                "priority only when approved (the decision is rejected)",
            )
    if kind == "AppealDecided":
        if fields["outcome"] == "overturned" and "priority" not in fields:
            raise _required_when(
                "priority",
                "outcome",
                "overturned",
                "priority is required when the appeal is overturned",
            )
        if fields["outcome"] == "upheld" and "priority" in fields:
            raise _only_when(
                "priority",
                "outcome",
                "overturned",
                "priority only when overturned (the appeal is upheld)",
            )
    if kind == "Settled" and fields["tenure"] in v.MANAGED_TENURES and dwelling is None:
        raise _required_when(
            "dwelling",
            "tenure",
            fields["tenure"],
            f"dwelling is required for tenure {fields['tenure']}",
        )
    if kind in ("Settled", "LeaseRenewed") and "lease_until" in fields:
        until = date.fromisoformat(fields["lease_until"])
        if until <= on:
            raise InvalidEvent(
                f"lease_until {until} must be after on {on.isoformat()}",
                "lease_until",
                rule="not_after",
                key="lease_until",
                after="on",
                got=until.isoformat(),
                low=on.isoformat(),
            )
