"""The JSON Schema of the interchange format, generated from the field table of records.py.

`python -m domain.schema` writes docs/events.schema.json; `--check` exits 1 when the committed
file differs from what the table gives now. The schema says what one line may look like: keys,
types, value sets, lengths, alphabets and the combinations a single line decides. What needs
the case's history (docs/events.md, "Rules"), the national id's control digits, `lease_until`
after `on` and dates in the future are checked by the import only.

The checks of records.FIELDS are functions; each becomes a schema fragment here, read from the
values the check closes over (an enum's options, a text's or an integer's bounds) or, for the
named checks, from the function's name. A check this module cannot read raises `SchemaGap`, so
a new kind of check in records.py fails the schema test until it is described here.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from domain import records, refs
from domain import values as v

Fragment = dict[str, Any]
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "events.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Contract v2: dates from 1900-01-01 to 2199-12-31 (the years 19xx-21xx); free text holds no
# control character (nor line or paragraph separator) but newline and tab; `by` and `phone` hold
# none at all. JSON Schema's patterns cannot name Unicode categories: the other invisible
# characters docs/refs.md refuses (zero-width, bidirectional controls, …) are left to the import.
DATE_PATTERN = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$"
DATE_RANGE = (date(1900, 1, 1), date(2199, 12, 31))
FREE_TEXT_CONTROLS = "\n\t"
# Keys whose value set is the municipality's configuration, not the table's default.
CONFIGURED_KEYS = {
    "district": "a district code of the municipality's configuration (Moss's school districts"
    " by default; docs/events.md, Value sets)"
}


class SchemaGap(Exception):
    """Raised when a check of records.FIELDS has no schema fragment in this module."""


def _alphabet() -> str:
    """The character class of event ids and refs, as refs.ID_PATTERN writes it."""
    found = re.fullmatch(r"(\[[^\]]+\])\{\d+,\d+\}", refs.ID_PATTERN.pattern)
    if found is None:
        raise SchemaGap(f"cannot read the id alphabet from {refs.ID_PATTERN.pattern!r}")
    return found.group(1)


def _table_check(name: str) -> Callable[..., Any]:
    """A shared check of records.py (the text of refs, `by`, `note`), by its name there."""
    check: object = getattr(records, name, None)
    if not callable(check):
        raise SchemaGap(f"records.{name} is gone: say in domain/schema.py where its bounds are")
    return check


def _closed_over(check: Callable[..., Any]) -> dict[str, Any]:
    cells = check.__closure__ or ()
    return {
        name: cell.cell_contents
        for name, cell in zip(check.__code__.co_freevars, cells, strict=True)
    }


def _bounds(check: Callable[..., Any]) -> tuple[int, int | None]:
    closed = _closed_over(check)
    if "low" not in closed:
        raise SchemaGap(f"{check.__qualname__} closes over no bounds")
    return closed["low"], closed.get("high")


def _no_controls_but(allowed: str) -> str:
    """A pattern of strings without control characters (C0, DEL, C1) or line and paragraph
    separators, but those in `allowed`."""
    refused = [
        c for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029] if chr(c) not in allowed
    ]
    runs: list[list[int]] = []
    for code in refused:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    parts = [f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in runs]
    return "^[^" + "".join(parts) + "]*$"


def _text(low: int, high: int | None, controls: str = FREE_TEXT_CONTROLS) -> Fragment:
    out: Fragment = {"type": "string", "minLength": low, "pattern": _no_controls_but(controls)}
    if high is not None:
        out["maxLength"] = high
    return out


def _ref_fragment() -> Fragment:
    """The ref alphabet: records.REF_PATTERN (issue 14's domain/refs.py) or, before it, the id
    alphabet at the bounds of records._REF_TEXT."""
    pattern = getattr(records, "REF_PATTERN", None)
    if isinstance(pattern, re.Pattern):
        regex = f"^{pattern.pattern}$"
    else:
        low, high = _bounds(_table_check("_REF_TEXT"))
        regex = f"^{_alphabet()}{{{low},{high}}}$"
    return {"type": "string", "pattern": regex, "description": "a reference (docs/refs.md)"}


def _date_fragment() -> Fragment:
    """A real date in the contract's range; records' own bounds, where it has them, must agree."""
    bounds = (getattr(records, "EARLIEST_DATE", None), getattr(records, "LATEST_DATE", None))
    if bounds != (None, None) and bounds != DATE_RANGE:
        raise SchemaGap(f"records' date range {bounds} is not {DATE_RANGE}: update DATE_PATTERN")
    return {"type": "string", "format": "date", "pattern": DATE_PATTERN}


def _at_most(out: Fragment, name: str) -> Fragment:
    """`out` with the maximum records.py names `name`, where it has one."""
    most = getattr(records, name, None)
    return {**out, "maximum": most} if isinstance(most, int) else out


def _household_fragment() -> Fragment:
    return {
        "type": "object",
        "required": ["adults", "children"],
        "properties": {
            "adults": _at_most({"type": "integer", "minimum": 1}, "HOUSEHOLD_MAX"),
            "children": _at_most({"type": "integer", "minimum": 0}, "HOUSEHOLD_MAX"),
        },
        "additionalProperties": False,
    }


def _person_fragment() -> Fragment:
    return {
        "type": "object",
        "description": "personal data: sealed with the case's key, erased with it",
        "required": ["name"],
        "properties": {
            "name": _text(1, 200),
            "national_id": {
                "type": "string",
                "pattern": "^[0-9]{11}$",
                "description": "fødselsnummer or D-number; the import checks both mod-11"
                " control digits and the embedded date",
            },
            "phone": _text(1, 32, controls=""),
        },
        "additionalProperties": False,
    }


NAMED: dict[str, Callable[[], Fragment]] = {
    "_event_id": lambda: {"type": "string", "pattern": f"^{refs.ID_PATTERN.pattern}$"},
    "_ref": _ref_fragment,
    "_date": _date_fragment,
    "_household": _household_fragment,
    "_person": _person_fragment,
}


def fragment(key: str, check: Callable[..., Any]) -> Fragment:
    """The schema of one field, read from its check in records.FIELDS."""
    if key in CONFIGURED_KEYS:
        return {"type": "string", "minLength": 1, "description": CONFIGURED_KEYS[key]}
    if check.__name__ in NAMED:
        return NAMED[check.__name__]()
    closed = _closed_over(check)
    if "options" in closed:
        return {"enum": list(closed["options"])}
    if "low" in closed and "integer" in check.__qualname__:
        out: Fragment = {"type": "integer", "minimum": closed["low"]}
        if closed.get("high") is not None:
            out["maximum"] = closed["high"]
        return out
    if "low" in closed and "text" in check.__qualname__:
        return _text(closed["low"], closed.get("high"), closed.get("controls", FREE_TEXT_CONTROLS))
    raise SchemaGap(f"no schema for the check {check.__qualname__} of {key} (domain/schema.py)")


def _envelope(kind: str) -> tuple[Fragment, list[str]]:
    properties: Fragment = {
        "id": NAMED["_event_id"](),
        "type": {"const": kind},
        "on": _date_fragment(),
        "by": _text(*_bounds(_table_check("_BY_TEXT")), controls=""),
        "note": {**_text(*_bounds(_table_check("_NOTE_TEXT"))), "description": "personal data"},
    }
    required = ["id", "type"]
    if kind in v.CASE_EVENT_TYPES:
        properties["case"] = _ref_fragment()
        required.append("case")
        if kind in records.CASE_TYPES_WITH_DWELLING:
            properties["dwelling"] = _ref_fragment()
    else:
        properties["dwelling"] = _ref_fragment()
        required.append("dwelling")
    required.append("on")
    return properties, required


def _required_when(key: str, options: tuple[str, ...], field: str) -> Fragment:
    return {
        "if": {"properties": {key: {"enum": list(options)}}, "required": [key]},
        "then": {"required": [field]},
        "else": {"not": {"required": [field]}},
    }


# What a single line decides beyond keys and values (records._check_combinations).
COMBINATIONS: dict[str, list[Fragment]] = {
    "ApplicationDecided": [_required_when("decision", ("approved",), "priority")],
    "AppealDecided": [_required_when("outcome", ("overturned",), "priority")],
    "Settled": [
        {
            "if": {
                "properties": {"tenure": {"enum": list(v.MANAGED_TENURES)}},
                "required": ["tenure"],
            },
            "then": {"required": ["dwelling"]},
        }
    ],
}


def event_type_schema(kind: str) -> Fragment:
    """The schema of one event type: envelope, its fields, nothing else."""
    required_fields, optional_fields = records.FIELDS[kind]
    properties, required = _envelope(kind)
    for key, check in {**required_fields, **optional_fields}.items():
        properties[key] = fragment(key, check)
    out: Fragment = {
        "type": "object",
        "required": [*required, *required_fields],
        "properties": properties,
        "additionalProperties": False,
    }
    if kind in COMBINATIONS:
        out["allOf"] = COMBINATIONS[kind]
    return out


def event_schema() -> Fragment:
    """The JSON Schema of one line of the interchange format."""
    kinds = list(records.FIELDS)
    return {
        "$schema": DRAFT,
        "$id": "urn:boligspor:events:v2",
        "title": "Boligspor event (one line of the interchange format, contract v2)",
        "description": (
            "Generated by `python -m domain.schema` from domain/records.py; do not edit."
            " docs/events.md says what each event means and which rules need the case's"
            " history. Integers are JSON integers without a fraction (30.0 is refused), which"
            " JSON Schema cannot say: validate integers strictly. Dates are real dates"
            " (validate with format assertion on)."
        ),
        "type": "object",
        "required": ["id", "type", "on"],
        "properties": {"type": {"enum": kinds}},
        "allOf": [
            {
                "if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
                "then": {"$ref": f"#/$defs/{kind}"},
            }
            for kind in kinds
        ],
        "$defs": {kind: event_type_schema(kind) for kind in kinds},
    }


def schema_text() -> str:
    """The schema as committed: two-space indent, UTF-8, a final newline."""
    return json.dumps(event_schema(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m domain.schema", description="Write the interchange format's JSON Schema."
    )
    parser.add_argument("path", nargs="?", type=Path, default=SCHEMA_PATH)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the file differs from the table"
    )
    args = parser.parse_args(argv)
    text = schema_text()
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else ""
        if current != text:
            print(f"{args.path} is out of date: run python -m domain.schema", file=sys.stderr)
            return 1
        return 0
    args.path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
