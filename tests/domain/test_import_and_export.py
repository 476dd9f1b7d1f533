"""Importing the samples: all or nothing, idempotent, and export gives the same events back."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from domain.application import Boligspor, Refused
from tests.conftest import SAMPLES, sample_lines

INVALID = sorted((SAMPLES / "invalid").glob("*.jsonl"))
REFUSED_LINE = {
    "not-json.jsonl": 3,
    "unknown-type.jsonl": 3,
    "unknown-key.jsonl": 3,
    "dwelling-key-on-follow-up.jsonl": 3,
    "bad-national-id.jsonl": 2,
    "future-date.jsonl": 3,
    "missing-field.jsonl": 3,
    "bad-date.jsonl": 3,
    "float-minutes.jsonl": 3,
    "unknown-case.jsonl": 3,
    "priority-on-rejection.jsonl": 4,
    "overlapping-stays.jsonl": 4,
    "backdated-conflict.jsonl": 4,
    "double-occupancy.jsonl": 5,
    "tenure-does-not-fit.jsonl": 3,
    "close-managed-tenancy.jsonl": 4,
    "end-a-stay-already-ended.jsonl": 5,
    "same-id-other-content.jsonl": 3,
    "retract-with-dependants.jsonl": 5,
}
GIST = {
    "not-json.jsonl": "not JSON",
    "unknown-type.jsonl": "unknown type",
    "unknown-key.jsonl": "unknown key prio",
    "dwelling-key-on-follow-up.jsonl": "unknown key dwelling",
    "bad-national-id.jsonl": "control digit",
    "future-date.jsonl": "in the future",
    "missing-field.jsonl": "missing kind",
    "bad-date.jsonl": "not a real date",
    "float-minutes.jsonl": "minutes must be an integer",
    "unknown-case.jsonl": "case S-9 does not exist",
    "priority-on-rejection.jsonl": "priority only when approved",
    "overlapping-stays.jsonl": "stay t1 is still open",
    "backdated-conflict.jsonl": "f1 on 2023-03-01: the case is closed",
    "double-occupancy.jsonl": "dwelling B-1 holds S-1",
    "tenure-does-not-fit.jsonl": "referral_agreement needs a referral dwelling",
    "close-managed-tenancy.jsonl": "settled under municipal_rental",
    "end-a-stay-already-ended.jsonl": "stay t1 is not open (ended by the settlement)",
    "same-id-other-content.jsonl": "id c1 already",
    "retract-with-dependants.jsonl": "a2 on 2023-02-01 depends on it",
}


def test_every_invalid_file_is_refused_at_its_line_and_stores_nothing(
    new_app: Callable[[], Boligspor],
) -> None:
    assert {p.name for p in INVALID} == set(REFUSED_LINE)
    for path in INVALID:
        app = new_app()
        with pytest.raises(Refused) as refused:
            app.submit(sample_lines(f"invalid/{path.name}"))
        [refusal] = refused.value.refusals
        assert refusal.line == REFUSED_LINE[path.name], path.name
        assert GIST[path.name] in refusal.message, (path.name, refusal.message)
        assert app.max_position() == 0, path.name


def test_the_valid_lines_of_an_invalid_file_are_accepted_without_the_last(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    lines = sample_lines("invalid/double-occupancy.jsonl")
    result = app.submit(lines[:-1])
    assert len(result.stored) == len(lines) - 1
    with pytest.raises(Refused):
        app.submit(lines[-1:])
    assert [e["id"] for e in app.export()] == [json.loads(t)["id"] for _, t in lines[:-1]]


def test_every_refused_edge_line_is_refused_where_it_falls(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    lines = sample_lines("edge-2017-2025.jsonl")
    cases = [
        json.loads(t) for t in (SAMPLES / "edge-2017-2025.refused.jsonl").read_text().splitlines()
    ]
    done = 0
    for case in sorted(cases, key=lambda c: c["after_line"]):
        app.submit(lines[done : case["after_line"]])
        done = case["after_line"]
        before = app.max_position()
        with pytest.raises(Refused) as refused:
            app.submit([(done + 1, case["event"])])
        message = refused.value.refusals[0].message
        expected = case["why"].split(": ")[-1]
        assert expected in message, (case["why"], message)
        assert app.max_position() == before
    app.submit(lines[done:])


@pytest.mark.parametrize("sample", ["moss-2023.jsonl", "edge-2017-2025.jsonl"])
def test_a_sample_imports_reimports_as_a_no_op_and_exports_the_same_events(
    new_app: Callable[[], Boligspor], sample: str
) -> None:
    app = new_app()
    lines = sample_lines(sample)
    first = app.submit(lines)
    assert len(first.stored) == len(lines)
    position = app.max_position()
    again = app.submit(lines)
    assert again.stored == [] and len(again.duplicates) == len(lines)
    assert app.max_position() == position
    exported = list(app.export())
    originals = [json.loads(text) for _, text in lines]
    for event in originals:
        event.setdefault("by", "import")
    assert exported == originals
    copy = new_app()
    copy.submit([(n, e) for n, e in enumerate(exported, 1)])
    assert list(copy.export()) == exported
