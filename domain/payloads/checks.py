"""The import's checks, made once from the payload classes' declarations.

`check_of(rule)` turns a declaration of domain/payloads/fields.py into a function
`(name, value) -> value` that raises InvalidEvent with the message, field, rule name and
parameters below. The checks are plain functions rather than a validation library's: the
import runs them on every field of every line, and each refusal keeps the exact wording of
the contract's messages.

Every refusal of the import (domain.errors.InvalidEvent) carries its English message, the `field`
and a stable rule name with its parameters, for the label catalogue:

| rule | params | when |
|---|---|---|
| not_json | column | the line is not JSON |
| too_deep | | arrays or objects nested too deep |
| number_too_long | | an integer of more digits than Python converts |
| not_an_object | shape | the event, `household` or `person` is not an object |
| missing_field | key | a required key is absent |
| unknown_field | key, type | a key the type does not take |
| unknown_type | got | `type` is no event type |
| not_a_string | | text or a ref that is not a string |
| too_short, too_long | low, high, got | text or a ref of the wrong length (got: its length) |
| hidden_character | position, code_point | a control or invisible character in text |
| outside_alphabet | position, code_point | a ref or id with a character outside docs/refs.md |
| looks_like_national_id | | a ref or id holding a valid national id |
| not_in_set | options, got | a value outside its value set (or the configured districts) |
| not_an_integer | got | a count that is no JSON integer |
| out_of_range | low, high, got | a count outside its bounds |
| bad_date | got | a date not written YYYY-MM-DD |
| not_a_real_date | got | a date such as 2023-02-30 |
| date_too_early, date_too_late | low, high, got | a date outside 1900-01-01–2199-12-31 |
| date_in_future | got, today | `on` after today |
| bad_national_id | problem | a national id whose digits, control digits or date are wrong |
| required_when | key, when, value | a field another's value requires (`priority`, `dwelling`) |
| only_when | key, when, value | a field the value of another forbids (`priority`) |
| not_after | key, after, got, low | `lease_until` not after `on` |
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from domain.errors import InvalidEvent
from domain.national_id import national_id_problem
from domain.payloads.fields import (
    Day,
    Integer,
    NationalId,
    OneOf,
    Ref,
    Rule,
    Shape,
    Text,
    declared_fields,
)
from domain.refs import (
    ALPHABET,
    ALPHABET_SHOWN,
    EARLIEST_DATE,
    LATEST_DATE,
    code_point,
    hidden_character,
    outside_alphabet,
)

Check = Callable[[str, Any], Any]
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{11}(?!\d)")


def shown(value: Any) -> str:
    """A submitted value as the import's messages quote it (at most 40 characters)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


def one_of(options: tuple[str, ...]) -> Check:
    def check(name: str, value: Any) -> Any:
        if not isinstance(value, str) or value not in options:
            raise InvalidEvent(
                f"{name} must be one of {', '.join(options)} (got {shown(value)})",
                name,
                rule="not_in_set",
                options=options,
                got=value,
            )
        return value

    return check


def text(rule: Text) -> Check:
    """A string of `low`–`high` characters a person can see (and the `controls` allowed)."""
    low, high, controls = rule.low, rule.high, rule.controls

    def check(name: str, value: Any) -> Any:
        if not isinstance(value, str):
            raise InvalidEvent(f"{name} must be a string", name, rule="not_a_string")
        if not low <= len(value) <= high:
            raise InvalidEvent(
                f"{name} must be {low}–{high} characters (got {len(value)})",
                name,
                rule="too_short" if len(value) < low else "too_long",
                low=low,
                high=high,
                got=len(value),
            )
        hidden = hidden_character(value, controls)
        if hidden is not None:
            position, character = hidden
            allowed = " (newline and tab are allowed)" if controls else ""
            raise InvalidEvent(
                f"{name} holds a control or invisible character, {code_point(character)} at"
                f" position {position}{allowed}",
                name,
                rule="hidden_character",
                position=position,
                code_point=code_point(character),
            )
        return value

    return check


def integer(rule: Integer) -> Check:
    low, high = rule.low, rule.high

    def check(name: str, value: Any) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidEvent(
                f"{name} must be an integer (got {shown(value)})",
                name,
                rule="not_an_integer",
                got=value,
            )
        if not low <= value <= high:
            raise InvalidEvent(
                f"{name} must be {low}–{high} (got {value})",
                name,
                rule="out_of_range",
                low=low,
                high=high,
                got=value,
            )
        return value

    return check


def parse_date(name: str, value: Any) -> date:
    """A YYYY-MM-DD string that is a real date."""
    if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
        raise InvalidEvent(
            f"{name} must be a date YYYY-MM-DD (got {shown(value)})",
            name,
            rule="bad_date",
            got=value,
        )
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidEvent(
            f"{name} {value} is not a real date", name, rule="not_a_real_date", got=value
        ) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InvalidEvent(
            f"{name} must lie from {EARLIEST_DATE} to {LATEST_DATE} (got {value})",
            name,
            rule="date_too_early" if day < EARLIEST_DATE else "date_too_late",
            low=EARLIEST_DATE.isoformat(),
            high=LATEST_DATE.isoformat(),
            got=value,
        )
    return day


def _date(name: str, value: Any) -> Any:
    parse_date(name, value)
    return value


def ref(rule: Ref) -> Check:
    """1–`most` characters of the id alphabet, holding no national id."""
    most = rule.most
    pattern = re.compile(rf"[{ALPHABET}]{{1,{most}}}")
    message = f"must be 1–{most} characters of {ALPHABET_SHOWN}"

    def check(name: str, value: Any) -> Any:
        if not (isinstance(value, str) and pattern.fullmatch(value)):
            if not isinstance(value, str):
                raise InvalidEvent(f"{name} {message}", name, rule="not_a_string")
            if not 1 <= len(value) <= most:
                raise InvalidEvent(
                    f"{name} {message}",
                    name,
                    rule="too_short" if not value else "too_long",
                    low=1,
                    high=most,
                    got=len(value),
                )
            found = outside_alphabet(value)
            assert found is not None
            position, character = found
            raise InvalidEvent(
                f"{name} {message} ({code_point(character)} at position {position})",
                name,
                rule="outside_alphabet",
                position=position,
                code_point=code_point(character),
            )
        return no_national_id(name, value)

    return check


def no_national_id(name: str, value: str) -> str:
    """Ids and refs travel in URLs, logs and answers: they must not carry a national id."""
    for run in ELEVEN_DIGITS.findall(value):
        if national_id_problem(run) is None:
            raise InvalidEvent(
                f"{name} looks like a national identity number; use a reference without"
                " personal data",
                name,
                rule="looks_like_national_id",
            )
    return value


def national_id(name: str, value: Any) -> Any:
    problem = national_id_problem(value)
    if problem:
        raise InvalidEvent(f"{name}: {problem}", name, rule="bad_national_id", problem=problem)
    return value


def shape(rule: Shape) -> Check:
    """An object of exactly the declared keys of `rule.of`, each checked by its own rule."""
    specs = declared_fields(rule.of)
    keys = ", ".join(spec.name + ("" if spec.required else "?") for spec in specs)
    required = tuple(spec.name for spec in specs if spec.required)
    names = frozenset(spec.name for spec in specs)
    checks = tuple((spec.name, check_of(spec.rule)) for spec in specs)

    def check(name: str, value: Any) -> Any:
        if not isinstance(value, dict):
            raise InvalidEvent(
                f"{name} must be an object {{{keys}}}", name, rule="not_an_object", shape=name
            )
        exact_keys(name, value, names, required)
        return {key: check(f"{name}.{key}", value[key]) for key, check in checks if key in value}

    return check


def exact_keys(
    where: str, obj: Mapping[str, Any], names: frozenset[str], required: tuple[str, ...]
) -> None:
    for key in obj:
        if key not in names:
            raise InvalidEvent(
                f"unknown key {where}.{key}", f"{where}.{key}", rule="unknown_field", key=key
            )
    for key in required:
        if key not in obj:
            raise InvalidEvent(
                f"missing {where}.{key}", f"{where}.{key}", rule="missing_field", key=key
            )


def check_of(rule: Rule) -> Check:
    """The import's check of one declared field."""
    if isinstance(rule, Text):
        return text(rule)
    if isinstance(rule, OneOf):
        return one_of(rule.options)
    if isinstance(rule, Integer):
        return integer(rule)
    if isinstance(rule, Day):
        return _date
    if isinstance(rule, Ref):
        return ref(rule)
    if isinstance(rule, NationalId):
        return national_id
    return shape(rule)
