"""Hostile JSON gets a 4xx with a reason, never a 500, and the import gives one line naming the
line number, never a traceback: brackets nested 100,000 deep, an integer of 5,000 digits, bytes
that are not UTF-8. Unknown keys are named in the API's answer as the import names them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from projections.labels import label
from tests.api.conftest import BACKENDS, Api, build_api, close_api, new_database_url
from tests.cli.running import run
from tests.conftest import SAMPLES, drop_schema, require_postgres

REPO = Path(__file__).resolve().parents[2]
JSON = {"Content-Type": "application/json"}
DEPTH = 100_000
DEEP_ARRAY = "[" * DEPTH + "]" * DEPTH
DEEP_OBJECT = '{"a":' * DEPTH + "1" + "}" * DEPTH
DEEP_NOTE = (
    '{"id": "fu-deep", "type": "FollowUpLogged", "case": "S-1", "on": "2024-02-01",'
    ' "team": "caretaker", "kind": "phone", "minutes": 5, "note": ' + DEEP_ARRAY + "}"
)
LONG_INTEGER = (
    '{"id": "fu-long", "type": "FollowUpLogged", "case": "S-1", "on": "2024-02-01",'
    ' "team": "caretaker", "kind": "phone", "minutes": 1' + "0" * 4999 + "}"
)
DEEP = "arrays or objects nested too deep"
DIGITS = "a number with too many digits"
HOSTILE = {
    "100,000 nested arrays": (DEEP_ARRAY, DEEP),
    "100,000 nested objects": (DEEP_OBJECT, DEEP),
    "a note nested 100,000 deep": (DEEP_NOTE, DEEP),
    "an integer of 5,000 digits": (LONG_INTEGER, DIGITS),
    "a batch holding an integer of 5,000 digits": (f"[{LONG_INTEGER}]", DIGITS),
    "a batch holding 100,000 nested arrays": (f"[{DEEP_ARRAY}]", DEEP),
}
OPENED = {
    "id": "op-1",
    "type": "CaseOpened",
    "case": "S-1",
    "on": "2024-01-10",
    "household": {"adults": 1, "children": 0},
    "group": "other",
    "situation": "rough",
    "person": {"name": "Kari Nordmann"},
}


@pytest.fixture(scope="module", params=BACKENDS)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    if request.param == "postgres":
        require_postgres()
    schemas: list[str] = []
    _, made = build_api(new_database_url(request.param, tmp_path_factory.mktemp("j"), schemas))
    assert made.post("/api/events", as_="caseworker", json=OPENED).status_code == 201
    yield made
    close_api(made)
    for schema in schemas:
        drop_schema(schema)


@pytest.mark.parametrize("path", ["/api/events", "/api/events:batch"])
@pytest.mark.parametrize("sent", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_json_is_refused_with_its_reason_not_a_server_error(
    api: Api, path: str, sent: tuple[str, str]
) -> None:
    body, reason = sent
    before = api.stored()
    answer = api.post(path, as_="caseworker", content=body, headers=JSON)
    assert answer.status_code == 422, answer.text[:500]
    details = answer.json()["error"]["details"]
    assert [d["detail_en"] for d in details] == [f"not an event: {reason}"]
    rule = "too_deep" if reason == DEEP else "number_too_long"
    assert [(d["code"], d["message"]) for d in details] == [(rule, label(f"refusal.{rule}"))]
    assert api.stored() == before


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT, '{"reason": 1' + "0" * 4999 + "}"])
def test_a_route_with_a_body_model_refuses_hostile_json_alike(api: Api, body: str) -> None:
    answer = api.post("/api/cases/S-1/erasure", as_="admin", content=body, headers=JSON)
    assert answer.status_code == 422, answer.text[:500]
    assert answer.json()["error"]["code"] == "invalid_request"


def unknown_key_lines() -> list[dict[str, Any]]:
    path = SAMPLES / "invalid" / "unknown-key.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_an_unknown_key_is_named_in_the_answer_as_the_import_names_it(
    api: Api, tmp_path: Path
) -> None:
    imported = run(tmp_path, "import", str(SAMPLES / "invalid" / "unknown-key.jsonl"))
    assert imported.returncode == 1
    named = "unknown key prio on ApplicationReceived"
    assert f"line 3 (x1): {named}" in imported.stderr
    third = unknown_key_lines()[2]
    answer = api.post("/api/events:batch", as_="caseworker", json=[third])
    assert answer.status_code == 422
    assert [d["detail_en"] for d in answer.json()["error"]["details"]] == [named]
    [detail] = answer.json()["error"]["details"]
    assert detail["message"] == "Feltet «prio» hører ikke til «Søknad mottatt»."


def test_a_key_that_is_no_key_name_is_left_out_of_the_answer(api: Api) -> None:
    event = {**OPENED, "Kari Nordmann 98765432": "x"}
    answer = api.post("/api/events", as_="caseworker", json=event)
    assert answer.status_code == 422
    [detail] = answer.json()["error"]["details"]
    assert detail["detail_en"] == "unknown key, not shown: not a key name on CaseOpened"
    assert detail["message"] == "Et ukjent felt hører ikke til «Sak opprettet»."
    assert detail["field"] is None and "key" not in detail["params"]


def test_the_import_names_each_hostile_line_in_one_line_without_a_traceback(
    tmp_path: Path,
) -> None:
    events = tmp_path / "hostile.jsonl"
    lines = [json.dumps(OPENED), DEEP_ARRAY, LONG_INTEGER, DEEP_NOTE]
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(tmp_path, "import", str(events))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{events}: nothing stored; 3 line(s) refused:",
        f"  {events}:line 2: not an event: {DEEP}",
        f"  {events}:line 3: not an event: {DIGITS}",
        f"  {events}:line 4: not an event: {DEEP}",
    ]
    assert run(tmp_path, "export").stdout == ""


def test_the_import_names_a_line_that_is_not_utf8_without_a_traceback(tmp_path: Path) -> None:
    events = tmp_path / "latin1.jsonl"
    events.write_bytes(json.dumps(OPENED).encode() + b'\n{"note": "bl\xe5b\xe6r"}\n')
    result = run(tmp_path, "import", str(events))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{events}: nothing stored: line 2: not UTF-8 (byte 13 of the line)"
    ]
    assert run(tmp_path, "export").stdout == ""


def test_the_import_prints_control_characters_of_a_refusal_escaped(tmp_path: Path) -> None:
    events = tmp_path / "escape.jsonl"
    events.write_text(json.dumps({**OPENED, "\u001b[2Jx": 1}) + "\n", encoding="utf-8")
    result = run(tmp_path, "import", str(events))
    assert result.returncode == 1
    assert "\u001b" not in result.stderr
    assert "unknown key \\u001B[2Jx on CaseOpened" in result.stderr
