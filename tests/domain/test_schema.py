"""The committed JSON Schema is what domain/schema.py generates from the payload classes, and it
tells the samples' events from the lines the invalid samples refuse for their shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import extend

from domain.payloads import PAYLOADS
from domain.schema import SCHEMA_PATH, SchemaGap, event_schema, main, rule_fragment, schema_text
from tests.conftest import SAMPLES, sample_lines

# JSON Schema's number model calls 30.0 an integer; the interchange format does not.
StrictValidator = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, value: isinstance(value, int) and not isinstance(value, bool)
    ),
)
VALIDATOR = StrictValidator(event_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
EVENT_FILES = sorted(
    p.name for p in SAMPLES.glob("*.jsonl") if not p.name.endswith(".refused.jsonl")
)
REFUSED_FILES = sorted(p.name for p in SAMPLES.glob("*.refused.jsonl"))
# Invalid samples whose last line breaks the shape of one line (the others break a rule that
# needs the history, the national id's digits or today's date).
SHAPE_INVALID = ["unknown-key", "missing-field", "unknown-type", "float-minutes", "bad-date"]


def problems(event: Any) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(event)]


def test_the_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(event_schema())


def test_the_committed_schema_is_what_the_payload_classes_generate() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "docs/events.schema.json is out of date: run python -m domain.schema"
    )
    assert main(["--check"]) == 0


def test_the_check_mode_names_a_stale_file(tmp_path: Any) -> None:
    stale = tmp_path / "events.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert main(["--check", str(stale)]) == 1
    assert main([str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == schema_text()


def test_every_payload_class_has_its_definition() -> None:
    schema = event_schema()
    assert sorted(schema["$defs"]) == sorted(PAYLOADS)
    assert schema["properties"]["type"]["enum"] == list(PAYLOADS)


def test_a_rule_the_module_cannot_read_is_a_gap_not_a_guess() -> None:
    with pytest.raises(SchemaGap, match="no schema for the rule"):
        rule_fragment(object())


@pytest.mark.parametrize("name", EVENT_FILES)
def test_every_line_of_every_sample_event_file_fits_the_schema(name: str) -> None:
    misfits = [(n, problems(json.loads(line))) for n, line in sample_lines(name)]
    assert [(n, found) for n, found in misfits if found] == []
    assert len(misfits) > 0


@pytest.mark.parametrize("name", REFUSED_FILES)
def test_the_events_refused_for_their_history_still_fit_the_schema(name: str) -> None:
    events = [json.loads(line)["event"] for _, line in sample_lines(name)]
    assert [problems(event) for event in events if problems(event)] == []


@pytest.mark.parametrize("name", SHAPE_INVALID)
def test_the_last_line_of_a_shape_invalid_sample_does_not_fit(name: str) -> None:
    *good, (_, last) = sample_lines(f"invalid/{name}.jsonl")
    assert [problems(json.loads(line)) for _, line in good] == [[]] * len(good)
    assert problems(json.loads(last)) != []


def test_a_single_line_decides_its_combinations() -> None:
    base = {"id": "x1", "case": "S-1", "on": "2023-02-01"}
    approved = {**base, "type": "ApplicationDecided", "decision": "approved"}
    assert problems(approved) != []
    assert problems({**approved, "priority": "high"}) == []
    assert problems({**approved, "decision": "rejected", "priority": "high"}) != []
    settled = {**base, "type": "Settled", "tenure": "municipal_rental"}
    assert problems(settled) != []
    assert problems({**settled, "dwelling": "B-1"}) == []
    assert problems({**settled, "tenure": "private_rental"}) == []


def test_refs_dates_and_free_text_follow_the_v2_alphabet_and_range() -> None:
    ok = {"id": "x1", "type": "CaseReopened", "case": "S-1", "on": "2023-02-01"}
    assert problems(ok) == []
    assert problems({**ok, "case": "S 1"}) != []
    assert problems({**ok, "case": "S-" + "1" * 31}) != []
    assert problems({**ok, "on": "1899-12-31"}) != []
    assert problems({**ok, "on": "2200-01-01"}) != []
    assert problems({**ok, "note": "linje\nto\tfane"}) == []
    assert problems({**ok, "note": "klokke\u0007"}) != []
    assert problems({**ok, "note": "neste\u0085linje"}) != []
    assert problems({**ok, "note": "avsnitt\u2029"}) != []
    assert problems({**ok, "by": "ola\tnordmann"}) != []
    assert problems({**ok, "dwelling": "B-1"}) != []
