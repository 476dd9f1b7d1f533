"""The kinds of field an event payload holds, each with the bounds of EVENTS.md.

A payload class (domain/payloads/__init__.py) declares every field once, as
`Annotated[python type, one of these]`; the import's checks (domain/payloads/checks.py), the
JSON Schema (domain/schema.py) and the web forms (api/pages/form_fields.py) read that declaration.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass

from domain.refs import FREE_TEXT_CONTROLS, ID_MAX, REF_MAX

# Counts have a ceiling, so that every stored count fits every backend's integer column.
HOUSEHOLD_MAX = 99  # adults, and children, in one household
ROOMS_MAX = 999


@dataclass(frozen=True)
class Text:
    """A string of `low`–`high` characters a person can see, and the `controls` allowed."""

    low: int
    high: int
    controls: str = FREE_TEXT_CONTROLS


@dataclass(frozen=True)
class OneOf:
    """One value of a value set of domain/values.py; `value_set` names it in the labels."""

    options: tuple[str, ...]
    value_set: str


@dataclass(frozen=True)
class Integer:
    """A JSON integer (not a boolean, not 30.0) from `low` to `high`."""

    low: int
    high: int


@dataclass(frozen=True)
class Day:
    """A real date YYYY-MM-DD from refs.EARLIEST_DATE to refs.LATEST_DATE."""


@dataclass(frozen=True)
class Ref:
    """1–`most` characters of the id alphabet (docs/refs.md), holding no national id."""

    most: int = REF_MAX


@dataclass(frozen=True)
class NationalId:
    """A fødselsnummer or D-number: 11 digits, both mod-11 control digits, a real date."""


@dataclass(frozen=True)
class Shape:
    """An object of its own fields, declared by the payload class `of` (Household, Person)."""

    of: type


@dataclass(frozen=True)
class Personal:
    """Marks a field that can name people: sealed with the case's key, erased with it."""


@dataclass(frozen=True)
class Configured:
    """Marks a field whose value set is the municipality's configuration (the districts)."""

    value_set: str


Rule = Text | OneOf | Integer | Day | Ref | NationalId | Shape

EVENT_ID = Ref(most=ID_MAX)
REF = Ref()
DAY = Day()
REASON = Text(1, 500)
BY = Text(1, 64, controls="")
NOTE = Text(0, 2000)
PERSONAL = Personal()


@dataclass(frozen=True)
class FieldSpec:
    """One declared field: its name, rule, whether a line must carry it, and its markers."""

    name: str
    rule: Rule
    required: bool
    personal: bool = False
    configured: Configured | None = None


_DECLARED: dict[type, tuple[FieldSpec, ...]] = {}


def declared_fields(cls: type) -> tuple[FieldSpec, ...]:
    """Every field of a payload (or Household, Person) class, in declaration order."""
    if cls not in _DECLARED:
        _DECLARED[cls] = _read_fields(cls)
    return _DECLARED[cls]


def _read_fields(cls: type) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for item in dataclasses.fields(cls):
        extras = hints[item.name].__metadata__
        rules = [extra for extra in extras if not isinstance(extra, Personal | Configured)]
        configured = [extra for extra in extras if isinstance(extra, Configured)]
        out.append(
            FieldSpec(
                item.name,
                rules[0],
                required=item.default is dataclasses.MISSING,
                personal=PERSONAL in extras,
                configured=configured[0] if configured else None,
            )
        )
    return tuple(out)
