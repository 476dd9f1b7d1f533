"""The payload classes declare each event type's fields once, and every refusal of the import
names its broken rule with the facts that broke it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain import values as v
from domain.errors import InvalidEvent
from domain.payloads import PAYLOADS, Household, own_fields, takes_dwelling
from domain.payloads import checks as checks_module
from domain.payloads.fields import Integer, OneOf
from domain.records import parse_event, parse_line

TODAY = date(2026, 11, 21)
BASE = {"id": "e1", "case": "S-1", "on": "2023-02-01"}


def refusal(event: Any) -> InvalidEvent:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(event, today=TODAY)
    return caught.value


def test_every_event_type_of_the_contract_has_a_class_named_after_it() -> None:
    assert list(PAYLOADS) == list(v.EVENT_TYPES)
    assert all(cls.__name__ == kind for kind, cls in PAYLOADS.items())
    assert [kind for kind in PAYLOADS if takes_dwelling(kind)] == ["Settled", "ComplaintReceived"]


def test_a_field_declares_its_value_set_and_bounds_once() -> None:
    follow_up = {spec.name: spec for spec in own_fields("FollowUpLogged")}
    assert follow_up["kind"].rule == OneOf(v.FOLLOW_UP_KINDS, "follow_up_kind")
    assert follow_up["minutes"].rule == Integer(0, 1440)
    assert all(spec.required for spec in follow_up.values())
    assert [spec.name for spec in own_fields("ApplicationDecided") if not spec.required] == [
        "priority",
        "legal_basis",
    ]
    assert Household(adults=1, children=2).children == 2


def test_a_reason_too_long_names_the_rule_its_bounds_and_its_length() -> None:
    error = refusal({**BASE, "type": "CaseClosed", "reason": "x" * 612})
    assert (error.message, error.field) == ("reason must be 1–500 characters (got 612)", "reason")
    assert (error.rule, error.params) == ("too_long", {"low": 1, "high": 500, "got": 612})


def test_a_value_outside_its_set_names_the_set() -> None:
    error = refusal({**BASE, "type": "GroupChanged", "group": "nobody"})
    assert error.rule == "not_in_set"
    assert error.params == {"options": v.GROUPS, "got": "nobody"}


def test_missing_and_unknown_keys_name_the_key() -> None:
    missing = refusal({**BASE, "type": "GroupChanged"})
    assert (missing.rule, missing.params, missing.field) == (
        "missing_field",
        {"key": "group"},
        "group",
    )
    unknown = refusal({**BASE, "type": "CaseReopened", "prio": "high"})
    assert (unknown.rule, unknown.params) == (
        "unknown_field",
        {"key": "prio", "type": "CaseReopened"},
    )


def test_a_date_in_the_future_or_out_of_range_says_which() -> None:
    future = refusal({**BASE, "type": "CaseReopened", "on": "2026-11-22"})
    assert (future.rule, future.params) == (
        "date_in_future",
        {"got": "2026-11-22", "today": "2026-11-21"},
    )
    assert refusal({**BASE, "type": "CaseReopened", "on": "1899-12-31"}).rule == "date_too_early"
    assert refusal({**BASE, "type": "CaseReopened", "on": "2023-02-30"}).rule == "not_a_real_date"


def test_a_ref_outside_the_alphabet_names_the_character() -> None:
    error = refusal({**BASE, "type": "CaseReopened", "case": "S 1"})
    assert (error.rule, error.params) == (
        "outside_alphabet",
        {"position": 2, "code_point": "U+0020"},
    )


def test_a_combination_names_the_field_that_requires_it() -> None:
    error = refusal({**BASE, "type": "ApplicationDecided", "decision": "approved"})
    assert (error.rule, error.params) == (
        "required_when",
        {"key": "priority", "when": "decision", "value": "approved"},
    )


def test_a_line_that_is_not_json_names_its_column() -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_line('{"id": ')
    assert (caught.value.rule, caught.value.params) == ("not_json", {"column": 8})


def test_every_rule_the_checks_raise_is_listed_for_the_label_catalogue() -> None:
    sources = [Path(checks_module.__file__), Path(checks_module.__file__).parents[1] / "records.py"]
    raised = {
        name for path in sources for name in re.findall(r'rule="(\w+)"', path.read_text())
    } | {"too_short", "too_long", "date_too_early", "date_too_late", "required_when", "only_when"}
    doc = checks_module.__doc__ or ""
    listed = {
        name for row in re.findall(r"^\| ([\w, ]+) \|", doc, re.M) for name in row.split(", ")
    }
    assert raised <= listed
    assert listed - {"rule"} <= raised


def test_every_example_a_class_carries_is_a_valid_event_of_its_type() -> None:
    examples = {kind: cls.example for kind, cls in PAYLOADS.items() if cls.example is not None}
    assert set(examples) >= {"CaseOpened", "TemporaryStayStarted", "FollowUpLogged"}
    for kind, example in examples.items():
        assert parse_event(example, today=TODAY).type == kind
