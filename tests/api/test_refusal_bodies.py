"""A refused event answers, per line, the rule's stable code, the field at fault, the Norwegian
message (a dwelling named by its address), its parameters and the contract's English reason."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.api.conftest import Api
from tests.conftest import sample_lines


def test_a_double_occupancy_names_the_dwelling_by_its_address_in_norwegian(
    fresh_api: Callable[[], Api],
) -> None:
    api = fresh_api()
    lines = [json.loads(text) for _, text in sample_lines("invalid/double-occupancy.jsonl")]
    lines[0]["address"] = "Storgata 3"
    moved_out = {"id": "m1", "type": "MovedOut", "case": "S-1", "on": "2023-09-01"}
    moved_out["reason"] = "own_choice"
    stored = api.post("/api/events:batch", as_="caseworker", json=[*lines[:-1], moved_out])
    assert stored.status_code == 201, stored.text
    api.services.reads.catch_up(api.app)

    answer = api.post("/api/events", as_="caseworker", json=lines[-1])

    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "rule_broken"
    assert error["details"] == [
        {
            "line": 1,
            "event_id": "x1",
            "code": "dwelling_occupied",
            "kind": "rule_broken",
            "field": "dwelling",
            "message": "Boligen i Storgata 3 bebos av en annen sak fra 1.3.2023 til 1.9.2023.",
            "params": {
                "dwelling": "B-1",
                "case": "S-2",
                "other_case": "S-1",
                "start": "2023-03-01",
                "end": "2023-09-01",
            },
            "detail_en": "dwelling B-1 holds S-1 from 2023-03-01 to the day before 2023-09-01",
        }
    ]


def test_each_refused_line_of_a_batch_has_its_own_code_and_field(
    fresh_api: Callable[[], Api],
) -> None:
    api = fresh_api()
    opened = json.loads(sample_lines("invalid/double-occupancy.jsonl")[1][1])
    late = {**opened, "id": "c9", "case": "S-9", "on": "2099-01-01"}
    crowded = {**opened, "id": "c8", "case": "S-8", "household": {"adults": 0, "children": 1}}
    answer = api.post("/api/events:batch", as_="caseworker", json=[opened, late, crowded])
    assert answer.status_code == 422
    details = answer.json()["error"]["details"]
    assert [(d["line"], d["code"], d["field"]) for d in details] == [
        (2, "date_in_future", "on"),
        (3, "out_of_range", "household.adults"),
    ]
    assert details[0]["message"] == "Datoen kan ikke være etter dagens dato (21.11.2026)."
    assert details[1]["message"] == "Antall voksne må være fra 1 til 99."
    assert "got" not in details[1]["params"]
    assert api.stored() == 0


def test_a_refused_user_change_has_a_code_and_its_norwegian_reason(
    fresh_api: Callable[[], Api],
) -> None:
    api = fresh_api()
    answer = api.post("/api/users", as_="admin", json={"name": "ny-bruker", "role": "field"})
    assert answer.status_code == 422, answer.text
    [detail] = answer.json()["error"]["details"]
    assert detail["code"] == "user_refused"
    assert "krever et team" in detail["message"]
