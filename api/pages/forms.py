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
from dataclasses import dataclass
from typing import Any

from domain import values as v

FIELD_USER = "field"
CASE_WORKER = "caseworker"


@dataclass(frozen=True)
class Field:
    """One input: `options` names a value set for a choice; kind is select/number/text/date."""

    name: str
    kind: str
    text_key: str
    options: tuple[str, ...] = ()
    value_set: str = ""
    required: bool = True
    hint_key: str | None = None


@dataclass(frozen=True)
class FormSpec:
    """A case-page form that logs one event type."""

    slug: str
    event_type: str
    title_key: str
    fields: tuple[Field, ...]
    audience: tuple[str, ...]
    needs: str | None = None  # "open_stay" / "open_complaint": shown only when there is one


NOTE = Field("note", "textarea", "field.note", required=False)
ON = Field("on", "date", "field.on")


def choice(name: str, text_key: str, options: tuple[str, ...], value_set: str) -> Field:
    return Field(name, "select", text_key, options, value_set)


BOTH = (FIELD_USER, CASE_WORKER)
FORMS: tuple[FormSpec, ...] = (
    FormSpec(
        "oppfolging",
        "FollowUpLogged",
        "form.follow_up",
        (
            ON,
            choice("kind", "field.kind", v.FOLLOW_UP_KINDS, "follow_up_kind"),
            Field("minutes", "number", "field.minutes"),
            NOTE,
        ),
        BOTH,
    ),
    FormSpec(
        "naboklage",
        "ComplaintReceived",
        "form.complaint",
        (
            ON,
            choice("category", "field.category", v.COMPLAINT_CATEGORIES, "complaint_category"),
            choice("source", "field.source", v.COMPLAINT_SOURCES, "complaint_source"),
            Field("dwelling", "text", "field.dwelling", required=False),
            NOTE,
        ),
        BOTH,
    ),
    FormSpec(
        "bekymring",
        "ConcernReported",
        "form.concern",
        (ON, choice("to", "field.to", v.CONCERN_RECIPIENTS, "concern_recipient"), NOTE),
        BOTH,
    ),
    FormSpec(
        "opphold-start",
        "TemporaryStayStarted",
        "form.stay_start",
        (
            ON,
            choice("kind", "field.kind", v.STAY_KINDS, "stay_kind"),
            Field("place", "text", "field.place", required=False),
            NOTE,
        ),
        BOTH,
    ),
    FormSpec("opphold-slutt", "TemporaryStayEnded", "form.stay_end", (ON, NOTE), BOTH, "open_stay"),
    FormSpec("soknad", "ApplicationReceived", "form.application", (ON, NOTE), (CASE_WORKER,)),
    FormSpec(
        "vedtak",
        "ApplicationDecided",
        "form.decision",
        (
            ON,
            choice("decision", "field.decision", v.DECISIONS, "decision"),
            Field(
                "priority",
                "select",
                "field.priority",
                v.PRIORITIES,
                "priority",
                required=False,
                hint_key="field.priority_hint",
            ),
            Field("legal_basis", "text", "field.legal_basis", required=False),
            NOTE,
        ),
        (CASE_WORKER,),
    ),
    FormSpec("klage", "AppealReceived", "form.appeal", (ON, NOTE), (CASE_WORKER,)),
    FormSpec(
        "klagevedtak",
        "AppealDecided",
        "form.appeal_decision",
        (
            ON,
            choice("outcome", "field.outcome", v.APPEAL_OUTCOMES, "appeal_outcome"),
            Field(
                "priority",
                "select",
                "field.priority",
                v.PRIORITIES,
                "priority",
                required=False,
                hint_key="field.priority_hint",
            ),
            NOTE,
        ),
        (CASE_WORKER,),
    ),
    FormSpec(
        "bosetting",
        "Settled",
        "form.settled",
        (
            ON,
            choice("tenure", "field.tenure", v.TENURES, "tenure"),
            Field("dwelling", "text", "field.dwelling", required=False),
            Field("lease_until", "date", "field.lease_until", required=False),
            NOTE,
        ),
        (CASE_WORKER,),
    ),
    FormSpec(
        "utflytting",
        "MovedOut",
        "form.moved_out",
        (ON, choice("reason", "field.reason", v.MOVE_OUT_REASONS, "move_out_reason"), NOTE),
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
