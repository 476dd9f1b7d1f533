"""The inputs of a form, read from the payload class of its event type (domain/payloads/).

Each declared field becomes one input (a household or a person becomes one input per part,
named `household.adults`, `person.name` …): its kind, value set, bounds and whether it is
required come from the declaration, its label from the page texts (`field.<Type>.<name>` where
the same name means something else on that type, else `field.<name>`). Refs a person does not
type are not inputs: the page makes them (a new stay's, a new complaint's), takes them from the
case (the open stay, the open complaints, the retracted entry) or lets the person pick one (a
dwelling, by address or ref).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from api.pages.texts import CATALOGUES
from domain.payloads import PAYLOADS, own_fields
from domain.payloads.fields import (
    Day,
    FieldSpec,
    Integer,
    NationalId,
    OneOf,
    Ref,
    Shape,
    Text,
    declared_fields,
)
from projections.labels import DEFAULT_LANGUAGE

# Free text longer than this is written in a box of several lines.
LINE_MAX = 500
# An 11-digit national id; spaces between the digits are allowed (the server removes them).
NATIONAL_ID_PATTERN = r"\s*(\d\s*){11}"

# Refs the page makes from the event id, so that a resent form has the same content.
MADE_BY_PAGE: dict[str, str] = {
    "TemporaryStayStarted.stay": "opphold",
    "ComplaintReceived.complaint": "klage",
}
# Refs taken from what the case holds now: the person picks among them.
PICKED: dict[str, str] = {
    "TemporaryStayEnded.stay": "open_stay",
    "ComplaintClosed.complaint": "open_complaint",
}
# Fields the page fills in for the person: the team is the writer's own.
FILLED_BY_PAGE = frozenset({"FollowUpLogged.team", "EventRetracted.target"})


@dataclass(frozen=True)
class Field:
    """One input. kind: select, district, number, text, textarea, date, national_id, dwelling
    (picked from the register), open_stay / open_complaint (picked from the case);
    `options`/`value_set` name a choice's values; `low`/`high` bound a number, `high` a text."""

    name: str
    kind: str
    text_key: str
    options: tuple[str, ...] = ()
    value_set: str = ""
    required: bool = True
    hint_key: str | None = None
    low: int | None = None
    high: int | None = None
    pattern: str | None = None  # what the browser checks before sending

    @property
    def dom_name(self) -> str:
        """The name as an id part (no dots)."""
        return self.name.replace(".", "-")


def label_key(event_type: str, name: str) -> str:
    """`field.<Type>.<name>` when the page texts have it, else `field.<name>`."""
    own = f"field.{event_type}.{name}"
    return own if own in CATALOGUES[DEFAULT_LANGUAGE] else f"field.{name}"


def hint_key(event_type: str, name: str) -> str | None:
    """`hint.<Type>.<name>` or `hint.<name>` when the page texts have one."""
    for key in (f"hint.{event_type}.{name}", f"hint.{name}"):
        if key in CATALOGUES[DEFAULT_LANGUAGE]:
            return key
    return None


def declared(event_type: str, name: str) -> FieldSpec:
    """The declaration of field `name` on the payload class of `event_type`."""
    for spec in declared_fields(PAYLOADS[event_type]):
        if spec.name == name:
            return spec
    raise LookupError(f"{event_type} has no field {name}")


def _input(event_type: str, spec: FieldSpec, name: str, required: bool) -> Field:
    rule = spec.rule
    key = label_key(event_type, name)
    out = Field(name, "text", key, required=required, hint_key=hint_key(event_type, name))
    if spec.configured is not None:
        return replace(out, kind="district", value_set=spec.configured.value_set)
    if isinstance(rule, OneOf):
        return replace(out, kind="select", options=rule.options, value_set=rule.value_set)
    if isinstance(rule, Integer):
        return replace(out, kind="number", low=rule.low, high=rule.high)
    if isinstance(rule, Day):
        return replace(out, kind="date")
    if isinstance(rule, NationalId):
        return replace(out, kind="national_id", high=11 + 10, pattern=NATIONAL_ID_PATTERN)
    if isinstance(rule, Ref):
        return replace(out, kind="dwelling" if spec.name == "dwelling" else "text", high=rule.most)
    if isinstance(rule, Text):
        return replace(out, kind="textarea" if rule.high > LINE_MAX else "text", high=rule.high)
    raise LookupError(f"{event_type}.{name} has no input")


def _expanded(event_type: str, spec: FieldSpec) -> tuple[Field, ...]:
    """The inputs of one declared field: one, or one per part of a shape."""
    if isinstance(spec.rule, Shape):
        return tuple(
            _input(event_type, part, f"{spec.name}.{part.name}", spec.required and part.required)
            for part in declared_fields(spec.rule.of)
        )
    return (_input(event_type, spec, spec.name, spec.required),)


def own_inputs(event_type: str) -> tuple[Field, ...]:
    """The inputs of the event type's own fields (picked refs as picks, made refs left out)."""
    out: list[Field] = []
    takes_dwelling = any(s.name == "dwelling" for s in declared_fields(PAYLOADS[event_type]))
    for spec in own_fields(event_type):
        where = f"{event_type}.{spec.name}"
        if where in MADE_BY_PAGE or where in FILLED_BY_PAGE:
            continue
        if where in PICKED:
            key = label_key(event_type, spec.name)
            out.append(Field(spec.name, PICKED[where], key))
            continue
        out.extend(_expanded(event_type, spec))
    if takes_dwelling and "Dwelling" not in event_type:
        spec = declared(event_type, "dwelling")
        out.append(_input(event_type, spec, "dwelling", spec.required))
    return tuple(out)


def inputs(event_type: str) -> tuple[Field, ...]:
    """Every input of a form for `event_type`: the date, its own fields, then the note."""
    on = _input(event_type, declared(event_type, "on"), "on", True)
    note = _input(event_type, declared(event_type, "note"), "note", False)
    return (on, *own_inputs(event_type), note)
