"""Writing events: the import's rules and messages, all or nothing, idempotent retries, and
reads right after a write that see it (tests/api/test_read_after_write.py: on every read path)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from api.errors import without_values
from domain.application import Refused
from tests.api.conftest import CARETAKER_CASE, SAMPLES, Api
from tests.conftest import sample_lines

INVALID = sorted(path.name for path in (SAMPLES / "invalid").glob("*.jsonl"))
# The rule each sample's last line breaks, and what the Norwegian message says of it.
NORWEGIAN = {
    "not-json.jsonl": ("not_json", "ikke gyldig JSON"),
    "unknown-type.jsonl": ("unknown_type", "Ukjent type registrering"),
    "unknown-key.jsonl": ("unknown_field", "Feltet «prio» hører ikke til"),
    "dwelling-key-on-follow-up.jsonl": ("unknown_field", "«Oppfølging registrert»"),
    "bad-national-id.jsonl": ("bad_national_id", "kontrollsifferet stemmer ikke"),
    "future-date.jsonl": ("date_in_future", "kan ikke være etter dagens dato"),
    "missing-field.jsonl": ("missing_field", "Typen mangler."),
    "bad-date.jsonl": ("not_a_real_date", "Datoen er ikke en dato som finnes."),
    "float-minutes.jsonl": ("not_an_integer", "Antall minutter må være et heltall."),
    "unknown-case.jsonl": ("unknown_case", "Saken finnes ikke."),
    "priority-on-rejection.jsonl": ("only_when", "når vedtaket er «Innvilget»"),
    "overlapping-stays.jsonl": ("stay_still_open", "midlertidig opphold som ikke er avsluttet"),
    "backdated-conflict.jsonl": ("conflicts_with_history", "Saken er avsluttet per 1.3.2023"),
    "double-occupancy.jsonl": ("dwelling_occupied", "bebos av en annen sak fra 1.3.2023"),
    "tenure-does-not-fit.jsonl": ("tenure_needs_referral_dwelling", "«Tilvisningsavtale» krever"),
    "close-managed-tenancy.jsonl": ("settled_under_managed_tenure", "registrer utflytting"),
    "end-a-stay-already-ended.jsonl": ("stay_not_open", "avsluttet, ved bosettingen"),
    "same-id-other-content.jsonl": ("duplicate_conflict", "allerede lagret med annet innhold"),
    "retract-with-dependants.jsonl": ("retraction_breaks_history", "kan ikke trekkes tilbake"),
}


def import_refusal(api: Api, lines: list[tuple[int, str]]) -> tuple[int, str]:
    """Where and why the import refuses these lines (a refused import stores nothing)."""
    with pytest.raises(Refused) as refused:
        api.app.submit(lines)
    first = refused.value.refusals[0]
    return first.line, first.message


@pytest.mark.parametrize("sample", INVALID)
def test_the_last_line_of_an_invalid_sample_sent_alone_is_refused_as_the_import_refuses_it(
    fresh_api: Callable[[], Api], sample: str
) -> None:
    api = fresh_api()
    lines = sample_lines(f"invalid/{sample}")
    assert import_refusal(api, lines)[0] == lines[-1][0]
    assert api.stored() == 0
    earlier = [json.loads(text) for _, text in lines[:-1]]
    if earlier:
        stored = api.post("/api/events:batch", as_="caseworker", json=earlier)
        assert stored.status_code == 201, stored.text
    before = api.stored()
    _, expected_message = import_refusal(api, lines[-1:])

    response = api.post("/api/events", as_="caseworker", content=lines[-1][1].encode())

    assert 400 <= response.status_code < 500
    error = response.json()["error"]
    assert [d["detail_en"] for d in error["details"]] == [without_values(expected_message)]
    assert error["message"]
    [detail] = error["details"]
    assert detail["code"] == NORWEGIAN[sample][0]
    assert NORWEGIAN[sample][1] in detail["message"]
    assert api.stored() == before
    if sample == "same-id-other-content.jsonl":
        assert response.status_code == 409
    else:
        assert response.status_code == 422


def test_a_refused_answer_echoes_no_submitted_name_or_national_id(
    fresh_api: Callable[[], Api],
) -> None:
    api = fresh_api()
    text = sample_lines("invalid/bad-national-id.jsonl")[-1][1]
    response = api.post("/api/events", as_="caseworker", content=text.encode())
    assert response.status_code == 422
    assert "Kari" not in response.text
    assert "01010112346" not in response.text
    assert "Traceback" not in response.text


def follow_up(event_id: str, minutes: int = 30) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "FollowUpLogged",
        "case": CARETAKER_CASE,
        "on": "2024-05-02",
        "team": "caretaker",
        "kind": "phone",
        "minutes": minutes,
    }


def test_sending_the_same_event_twice_answers_alike_and_stores_it_once(moss: Api) -> None:
    first = moss.post("/api/events", as_="field", json=follow_up("retry-1"))
    after_first = moss.stored()
    again = moss.post("/api/events", as_="field", json=follow_up("retry-1"))
    assert (first.status_code, first.json()) == (201, {"id": "retry-1"})
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert moss.stored() == after_first


def test_a_retried_batch_answers_alike_and_stores_nothing_more(moss: Api) -> None:
    batch = [follow_up("retry-b1"), follow_up("retry-b2")]
    first = moss.post("/api/events:batch", as_="caseworker", json=batch)
    after_first = moss.stored()
    again = moss.post("/api/events:batch", as_="caseworker", json=batch)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() == {"ids": ["retry-b1", "retry-b2"]}
    assert moss.stored() == after_first


def test_the_same_id_with_other_content_is_a_conflict(moss: Api) -> None:
    assert moss.post("/api/events", as_="field", json=follow_up("retry-c")).status_code == 201
    response = moss.post("/api/events", as_="field", json=follow_up("retry-c", minutes=45))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate_conflict"


def test_a_batch_with_one_refused_event_stores_none_of_them(moss: Api) -> None:
    before = moss.stored()
    bad = {**follow_up("batch-bad"), "minutes": 30.0}
    response = moss.post("/api/events:batch", as_="caseworker", json=[follow_up("batch-ok"), bad])
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["line"] == 2
    assert moss.stored() == before
    history = moss.get(f"/api/cases/{CARETAKER_CASE}/history", as_="caseworker").json()
    assert "batch-ok" not in {item["event"]["id"] for item in history["items"]}


@pytest.mark.parametrize(
    ("body", "code"),
    [("{}", "batch_not_a_list"), ("[]", "batch_empty"), ("[1,", "invalid_event")],
)
def test_a_batch_that_is_not_a_list_of_events_is_refused(moss: Api, body: str, code: str) -> None:
    before = moss.stored()
    response = moss.post("/api/events:batch", as_="caseworker", content=body.encode())
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert moss.stored() == before


def test_a_stay_logged_by_a_field_worker_shows_at_once_in_the_case_and_the_list(
    moss: Api,
) -> None:
    stay = {
        "id": "stay-now",
        "type": "TemporaryStayStarted",
        "case": CARETAKER_CASE,
        "on": "2026-11-20",
        "stay": "hotel-1",
        "kind": "hotel",
        "place": "Hotell Refsnes",
    }
    assert moss.post("/api/events", as_="field", json=stay).status_code == 201

    case = moss.get(f"/api/cases/{CARETAKER_CASE}", as_="field").json()
    listed = moss.get(
        "/api/cases", as_="caseworker", params={"in_temporary_housing": True, "limit": 500}
    ).json()

    assert case["temporary_stay"] == {
        "stay": "hotel-1",
        "kind": "hotel",
        "started_on": "2026-11-20",
    }
    assert CARETAKER_CASE in {c["ref"] for c in listed["items"]}


def test_the_api_records_the_signed_in_user_as_the_one_who_logged_it(moss: Api) -> None:
    event = {**follow_up("by-1"), "by": "someone-else"}
    assert moss.post("/api/events", as_="field", json=event).status_code == 201
    history = moss.get(f"/api/cases/{CARETAKER_CASE}/history", as_="caseworker").json()
    logged = next(i["event"] for i in history["items"] if i["event"]["id"] == "by-1")
    assert logged["by"] == "ola"


def test_reports_through_the_api_equal_the_sample_figures(moss: Api) -> None:
    for name, path in [
        ("moss-2023.status-2023-09-01.json", "/api/reports/status?as_of=2023-09-01"),
        ("moss-2023.annual-2023.json", "/api/reports/annual?year=2023"),
        ("moss-2023.annual-2022.json", "/api/reports/annual?year=2022"),
    ]:
        expected = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
        assert moss.get(path, as_="leader").json() == expected, name
