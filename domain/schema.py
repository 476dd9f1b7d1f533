"""The JSON Schema of the interchange format, generated from the payload classes (domain/payloads).

`python -m domain.schema` writes docs/events.schema.json; `--check` exits 1 when the committed
file differs from what the classes give now. The schema says what one line may look like: keys,
types, value sets, lengths, alphabets and the combinations a single line decides. What needs
the case's history (docs/events.md, "Rules"), the national id's control digits, `lease_until`
after `on` and dates in the future are checked by the import only.

Each declared field becomes a schema fragment here, read from its rule (domain/payloads/fields.py):
a value set's options, a text's or an integer's bounds, a ref's alphabet. A rule this module
cannot read raises `SchemaGap`, so a new kind of rule fails the schema test until it is
described here.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from domain import refs
from domain import values as v
from domain.payloads import PAYLOADS, Person, envelope_fields, own_fields
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

Fragment = dict[str, Any]
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "events.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Contract v2: dates from 1900-01-01 to 2199-12-31 (the years 19xx-21xx); free text holds no
# control character (nor line or paragraph separator) but newline and tab; `by` and `phone` hold
# none at all. JSON Schema's patterns cannot name Unicode categories: the other invisible
# characters docs/refs.md refuses (zero-width, bidirectional controls, …) are left to the import.
DATE_PATTERN = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$"
DATE_RANGE = (date(1900, 1, 1), date(2199, 12, 31))
# The envelope's keys in the order each type's definition lists them.
ENVELOPE_ORDER = ("id", "type", "on", "by", "note", "case", "dwelling")
# Keys whose value set is the municipality's configuration, not the table's default.
CONFIGURED_KEYS = {
    "district": "a district code of the municipality's configuration (Moss's school districts"
    " by default; docs/events.md, Value sets)"
}


class SchemaGap(Exception):
    """Raised when a declared field's rule has no schema fragment in this module."""


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


def _text(rule: Text) -> Fragment:
    return {
        "type": "string",
        "minLength": rule.low,
        "pattern": _no_controls_but(rule.controls),
        "maxLength": rule.high,
    }


def _ref(rule: Ref) -> Fragment:
    if rule.most == refs.ID_MAX:
        return {"type": "string", "pattern": refs.ID_REGEX}
    return {
        "type": "string",
        "pattern": f"^[{refs.ALPHABET}]{{1,{rule.most}}}$",
        "description": "a reference (docs/refs.md)",
    }


def _date() -> Fragment:
    """A real date in the contract's range; refs' bounds must be what DATE_PATTERN says."""
    if (refs.EARLIEST_DATE, refs.LATEST_DATE) != DATE_RANGE:
        raise SchemaGap(
            f"the date range of domain/refs.py is not {DATE_RANGE}: update DATE_PATTERN"
        )
    return {"type": "string", "format": "date", "pattern": DATE_PATTERN}


NATIONAL_ID: Fragment = {
    "type": "string",
    "pattern": "^[0-9]{11}$",
    "description": "fødselsnummer or D-number; the import checks both mod-11"
    " control digits and the embedded date",
}
SHAPE_DESCRIPTIONS = {Person: "personal data: sealed with the case's key, erased with it"}


def _shape(rule: Shape) -> Fragment:
    specs = declared_fields(rule.of)
    out: Fragment = {"type": "object"}
    if rule.of in SHAPE_DESCRIPTIONS:
        out["description"] = SHAPE_DESCRIPTIONS[rule.of]
    out["required"] = [spec.name for spec in specs if spec.required]
    out["properties"] = {spec.name: fragment(spec) for spec in specs}
    out["additionalProperties"] = False
    return out


def rule_fragment(rule: object) -> Fragment:
    """The schema of one rule of domain/payloads/fields.py."""
    if isinstance(rule, Text):
        return _text(rule)
    if isinstance(rule, OneOf):
        return {"enum": list(rule.options)}
    if isinstance(rule, Integer):
        return {"type": "integer", "minimum": rule.low, "maximum": rule.high}
    if isinstance(rule, Day):
        return _date()
    if isinstance(rule, Ref):
        return _ref(rule)
    if isinstance(rule, NationalId):
        return dict(NATIONAL_ID)
    if isinstance(rule, Shape):
        return _shape(rule)
    raise SchemaGap(f"no schema for the rule {rule!r} (domain/schema.py)")


def fragment(spec: FieldSpec) -> Fragment:
    """The schema of one declared field."""
    if spec.configured is not None:
        return {"type": "string", "minLength": 1, "description": CONFIGURED_KEYS[spec.name]}
    out = rule_fragment(spec.rule)
    if spec.personal and spec.name == "note":
        out["description"] = "personal data"
    return out


def _envelope(kind: str) -> tuple[Fragment, list[str]]:
    declared = {spec.name: spec for spec in envelope_fields(kind)}
    properties: Fragment = {}
    required = ["id", "type"]
    for key in ENVELOPE_ORDER:
        if key == "type":
            properties["type"] = {"const": kind}
        elif key in declared:
            properties[key] = fragment(declared[key])
            if declared[key].required and key not in required and key != "on":
                required.append(key)
    required.append("on")
    return properties, required


def _required_when(key: str, options: tuple[str, ...], field: str) -> Fragment:
    return {
        "if": {"properties": {key: {"enum": list(options)}}, "required": [key]},
        "then": {"required": [field]},
        "else": {"not": {"required": [field]}},
    }


# What a single line decides beyond keys and values (records._check_combinations says it too).
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
    properties, required = _envelope(kind)
    own = sorted(own_fields(kind), key=lambda spec: not spec.required)
    for spec in own:
        properties[spec.name] = fragment(spec)
    out: Fragment = {
        "type": "object",
        "required": [*required, *(spec.name for spec in own if spec.required)],
        "properties": properties,
        "additionalProperties": False,
    }
    if kind in COMBINATIONS:
        out["allOf"] = COMBINATIONS[kind]
    return out


def event_schema() -> Fragment:
    """The JSON Schema of one line of the interchange format."""
    kinds = list(PAYLOADS)
    return {
        "$schema": DRAFT,
        "$id": "urn:boligspor:events:v2",
        "title": "Boligspor event (one line of the interchange format, contract v2)",
        "description": (
            "Generated by `python -m domain.schema` from domain/payloads; do not edit."
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
        "--check", action="store_true", help="exit 1 if the file differs from the classes"
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
