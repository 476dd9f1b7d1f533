"""The one-tap forms of the case page: which fields each has, who may use it, and how a
posted form becomes one event of docs/events.md.

Every form carries an event id made when the page was drawn. Sending the same form again (the
answer was lost on a weak network) sends the same id and the same content, which the write
path stores once. Refs the form makes (a stay's, a complaint's) are derived from that id, so a
resent form has the same content too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from domain.payloads import PAYLOADS
from domain.payloads.fields import Day, FieldSpec, Integer, OneOf, Ref, Text, declared_fields

FIELD_USER = "field"
CASE_WORKER = "caseworker"
# Free text longer than this is written in a box of several lines.
LINE_MAX = 500


@dataclass(frozen=True)
class Field:
    """One input: kind is select/number/text/textarea/date; `options` and `value_set` name a
    choice's values; `low`/`high` bound a number, `high` a text's length."""

    name: str
    kind: str
    text_key: str
    options: tuple[str, ...] = ()
    value_set: str = ""
    required: bool = True
    hint_key: str | None = None
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class FormSpec:
    """A case-page form that logs one event type."""

    slug: str
    event_type: str
    title_key: str
    fields: tuple[Field, ...]
    audience: tuple[str, ...]
    needs: str | None = None  # "open_stay" / "open_complaint": shown only when there is one


def declared(event_type: str, name: str) -> FieldSpec:
    """The declaration of field `name` on the payload class of `event_type`."""
    for spec in declared_fields(PAYLOADS[event_type]):
        if spec.name == name:
            return spec
    raise LookupError(f"{event_type} has no field {name}")


def field(event_type: str, name: str, *, hint_key: str | None = None) -> Field:
    """The input of field `name` of `event_type`: its kind, value set, bounds and whether it is
    required come from the payload class; its label is `field.<name>` in the label catalogue."""
    spec = declared(event_type, name)
    rule = spec.rule
    out = Field(name, "text", f"field.{name}", required=spec.required, hint_key=hint_key)
    if isinstance(rule, OneOf):
        return replace(out, kind="select", options=rule.options, value_set=rule.value_set)
    if isinstance(rule, Integer):
        return replace(out, kind="number", low=rule.low, high=rule.high)
    if isinstance(rule, Day):
        return replace(out, kind="date")
    if isinstance(rule, Ref):
        return replace(out, high=rule.most)
    if isinstance(rule, Text):
        return replace(out, kind="textarea" if rule.high > LINE_MAX else "text", high=rule.high)
    raise LookupError(f"{event_type}.{name} has no input")


def fields(event_type: str, *names: str) -> tuple[Field, ...]:
    """The inputs of a form for `event_type`: the date, the named fields, the note."""
    return tuple(field(event_type, name) for name in ("on", *names, "note"))


BOTH = (FIELD_USER, CASE_WORKER)
FORMS: tuple[FormSpec, ...] = (
    FormSpec(
        "oppfolging",
        "FollowUpLogged",
        "form.follow_up",
        fields("FollowUpLogged", "kind", "minutes"),
        BOTH,
    ),
    FormSpec(
        "naboklage",
        "ComplaintReceived",
        "form.complaint",
        fields("ComplaintReceived", "category", "source", "dwelling"),
        BOTH,
    ),
    FormSpec("bekymring", "ConcernReported", "form.concern", fields("ConcernReported", "to"), BOTH),
    FormSpec(
        "opphold-start",
        "TemporaryStayStarted",
        "form.stay_start",
        fields("TemporaryStayStarted", "kind", "place"),
        BOTH,
    ),
    FormSpec(
        "opphold-slutt",
        "TemporaryStayEnded",
        "form.stay_end",
        fields("TemporaryStayEnded"),
        BOTH,
        "open_stay",
    ),
    FormSpec(
        "soknad",
        "ApplicationReceived",
        "form.application",
        fields("ApplicationReceived"),
        (CASE_WORKER,),
    ),
    FormSpec(
        "vedtak",
        "ApplicationDecided",
        "form.decision",
        (
            field("ApplicationDecided", "on"),
            field("ApplicationDecided", "decision"),
            field("ApplicationDecided", "priority", hint_key="field.priority_hint"),
            field("ApplicationDecided", "legal_basis"),
            field("ApplicationDecided", "note"),
        ),
        (CASE_WORKER,),
    ),
    FormSpec("klage", "AppealReceived", "form.appeal", fields("AppealReceived"), (CASE_WORKER,)),
    FormSpec(
        "klagevedtak",
        "AppealDecided",
        "form.appeal_decision",
        (
            field("AppealDecided", "on"),
            field("AppealDecided", "outcome"),
            field("AppealDecided", "priority", hint_key="field.priority_hint"),
            field("AppealDecided", "note"),
        ),
        (CASE_WORKER,),
    ),
    FormSpec(
        "bosetting",
        "Settled",
        "form.settled",
        fields("Settled", "tenure", "dwelling", "lease_until"),
        (CASE_WORKER,),
    ),
    FormSpec(
        "utflytting",
        "MovedOut",
        "form.moved_out",
        fields("MovedOut", "reason"),
        (CASE_WORKER,),
    ),
)
FORMS_BY_SLUG: dict[str, FormSpec] = {form.slug: form for form in FORMS}


class FormInvalid(ValueError):
    """Raised when a posted form lacks a required field or has a number that is not one."""


def new_event_id() -> str:
    """A fresh event id for a form about to be drawn."""
    return f"web-{uuid.uuid4().hex}"


def derived_ref(prefix: str, event_id: str) -> str:
    """A stay or complaint ref made from the event id, so a resent form has the same one."""
    return f"{prefix}-{event_id.removeprefix('web-')[:12]}"


def event_from_form(
    spec: FormSpec,
    case_ref: str,
    event_id: str,
    posted: Mapping[str, str],
    *,
    team: str,
    open_stay: str | None,
) -> dict[str, Any]:
    """The event a posted form stands for (checked again by the write path)."""
    event: dict[str, Any] = {"id": event_id, "type": spec.event_type, "case": case_ref}
    for item in spec.fields:
        raw = _typed(posted.get(item.name, ""))
        if not raw:
            if item.required:
                raise FormInvalid(item.name)
            continue
        event[item.name] = _value(item, raw)
    if spec.event_type == "FollowUpLogged":
        event["team"] = team
    if spec.event_type == "TemporaryStayStarted":
        event["stay"] = derived_ref("opphold", event_id)
    if spec.event_type == "ComplaintReceived":
        event["complaint"] = derived_ref("klage", event_id)
    if spec.event_type == "TemporaryStayEnded":
        if open_stay is None:
            raise FormInvalid("stay")
        event["stay"] = open_stay
    return event


def _typed(raw: str) -> str:
    """What the person typed: trimmed, and a browser's CRLF line ends as the newlines free text
    holds (docs/refs.md)."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


def _value(item: Field, raw: str) -> Any:
    if item.kind == "number":
        try:
            return int(raw)
        except ValueError:
            raise FormInvalid(item.name) from None
    return raw


def retraction(case_ref: str, event_id: str, on: str, target: str, reason: str) -> dict[str, Any]:
    """The EventRetracted a retraction form stands for."""
    if not reason.strip():
        raise FormInvalid("reason")
    return {
        "id": event_id,
        "type": "EventRetracted",
        "case": case_ref,
        "on": on,
        "target": target,
        "reason": _typed(reason),
    }
