"""No text the store cannot hold, or a person cannot see, gets in (docs/refs.md), on both
backends: through the API, as one event and in a batch, and through the import; refs are
unambiguous, and a route for a ref outside the alphabet says so instead of 404."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from domain.application import Refused
from tests.api.conftest import BACKENDS, Api, build_api, close_api, new_database_url
from tests.conftest import drop_schema, require_postgres

JSON = {"Content-Type": "application/json"}  # bodies sent as \u escapes: a lone surrogate too
CASE = "S-00002"
OPENED: dict[str, Any] = {
    "id": "open-1",
    "type": "CaseOpened",
    "case": CASE,
    "on": "2024-01-10",
    "household": {"adults": 1, "children": 0},
    "group": "other",
    "situation": "rough",
    "person": {"name": "Kari Nordmann"},
}
DWELLING: dict[str, Any] = {
    "id": "dw-1",
    "type": "DwellingRegistered",
    "dwelling": "B-1",
    "on": "2024-01-02",
    "category": "ordinary_municipal",
    "district": "ramberg",
    "rooms": 2,
}


@pytest.fixture(scope="module", params=BACKENDS)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """An API over a store holding one case (S-00002) and one dwelling (B-1)."""
    if request.param == "postgres":
        require_postgres()
    schemas: list[str] = []
    url = new_database_url(request.param, tmp_path_factory.mktemp("refs"), schemas)
    _, made = build_api(url)
    answer = made.post("/api/events:batch", as_="caseworker", json=[DWELLING, OPENED])
    assert answer.status_code == 201, answer.text
    yield made
    close_api(made)
    for schema in schemas:
        drop_schema(schema)


def stay(ref: Any, **more: Any) -> dict[str, Any]:
    return {
        "id": f"st-{uuid.uuid4().hex[:8]}",
        "type": "TemporaryStayStarted",
        "case": CASE,
        "on": "2024-02-01",
        "stay": ref,
        "kind": "hotel",
        **more,
    }


def opened(ref: str, **more: Any) -> dict[str, Any]:
    return {**OPENED, "id": f"op-{uuid.uuid4().hex[:8]}", "case": ref, **more}


def follow_up(**more: Any) -> dict[str, Any]:
    return {
        "id": f"fu-{uuid.uuid4().hex[:8]}",
        "type": "FollowUpLogged",
        "case": CASE,
        "on": "2024-02-02",
        "team": "caretaker",
        "kind": "phone",
        "minutes": 10,
        **more,
    }


# (what is sent, the field the refusal names)
REFUSED: dict[str, tuple[dict[str, Any], str]] = {
    "a NUL in a stay ref": (stay("t\u0000"), "stay"),
    "a fullwidth letter in a case ref": (opened("\uff33-00002"), "case"),
    "a zero-width space after a case ref": (opened("S-00002\u200b"), "case"),
    "a non-breaking hyphen in a case ref": (opened("S\u201100002"), "case"),
    "a leading space in a case ref": (opened(" S-00002"), "case"),
    "a trailing space in a case ref": (opened("S-00002 "), "case"),
    "a slash in a case ref": (opened("S/00002"), "case"),
    "a newline in a case ref": (opened("S-00002\n"), "case"),
    "a bidi override in a dwelling ref": (
        {**DWELLING, "id": "dw-bidi", "dwelling": "B-\u202e2"},
        "dwelling",
    ),
    "a NUL in a complaint ref": (
        {
            "id": "cp-nul",
            "type": "ComplaintReceived",
            "case": CASE,
            "on": "2024-02-01",
            "complaint": "k\u0000",
            "category": "noise",
            "source": "neighbour",
            "dwelling": "B-1",
        },
        "complaint",
    ),
    "a NUL in an event id": (follow_up(id="fu\u0000"), "id"),
    "a zero-width space in a retraction's target": (
        {
            "id": "rt-zw",
            "type": "EventRetracted",
            "case": CASE,
            "on": "2024-02-03",
            "target": "open-1\u200b",
            "reason": "feil",
        },
        "target",
    ),
    "a NUL in a note": (follow_up(note="hei\u0000"), "note"),
    "an escape character in a note": (follow_up(note="\u001b[2J"), "note"),
    "a carriage return in a note": (follow_up(note="linje\r"), "note"),
    "a right-to-left override in a note": (follow_up(note="abc\u202edef"), "note"),
    "a zero-width joiner in a note": (follow_up(note="a\u200db"), "note"),
    "a byte order mark in a note": (follow_up(note="\ufeffhei"), "note"),
    "a line separator in a note": (follow_up(note="a\u2028b"), "note"),
    "a lone surrogate in a note": (follow_up(note="a\ud800b"), "note"),
    "a NUL in a place": (stay("opphold-9", place="Hotell\u0000"), "place"),
    "a bidi isolate in a contact person's name": (
        opened("S-09999", person={"name": "Ola \u2066Nordmann"}),
        "person.name",
    ),
    "a NUL in a dwelling address": (
        {**DWELLING, "id": "dw-addr", "dwelling": "B-3", "address": "Gata 1\u0000"},
        "address",
    ),
    "a NUL in a phone number": (
        opened("S-09998", person={"name": "Ola", "phone": "123\u0000"}),
        "person.phone",
    ),
    "a NUL in a closing reason": (
        {"id": "cl-nul", "type": "CaseClosed", "case": CASE, "on": "2024-03-01", "reason": "\0"},
        "reason",
    ),
    "a bidi override in a legal basis": (
        {
            "id": "ad-bidi",
            "type": "ApplicationDecided",
            "case": CASE,
            "on": "2024-03-01",
            "decision": "rejected",
            "legal_basis": "\u202e§ 5",
        },
        "legal_basis",
    ),
    "a day before 1900-01-01": (follow_up(on="1899-12-31"), "on"),
    "the year 1": (follow_up(on="0001-01-01"), "on"),
    "a lease until after 2199-12-31": (
        {
            "id": "se-far",
            "type": "Settled",
            "case": CASE,
            "on": "2024-03-01",
            "tenure": "private_rental",
            "lease_until": "2200-01-01",
        },
        "lease_until",
    ),
    "more rooms than an integer column holds": (
        {**DWELLING, "id": "dw-big", "dwelling": "B-4", "rooms": 10**30},
        "rooms",
    ),
    "a household of a billion adults": (
        opened("S-09997", household={"adults": 10**9, "children": 0}),
        "household.adults",
    ),
}


@pytest.mark.parametrize("sent", list(REFUSED.values()), ids=list(REFUSED))
def test_a_value_the_store_cannot_hold_or_a_person_cannot_see_is_refused_naming_the_field(
    api: Api, sent: tuple[dict[str, Any], str]
) -> None:
    event, field = sent
    before = api.stored()
    for path, body in (("/api/events", event), ("/api/events:batch", [follow_up(), event])):
        answer = api.post(path, as_="caseworker", content=json.dumps(body), headers=JSON)
        assert answer.status_code == 422, answer.text
        details = answer.json()["error"]["details"]
        assert [d["kind"] for d in details] == ["invalid_event"], details
        assert details[0]["detail_en"].startswith(field), details
        assert details[0]["field"] == field, details
    assert api.stored() == before


def test_the_import_refuses_them_alike(api: Api) -> None:
    lines: list[tuple[int, str | dict[str, Any]]] = [
        (n, event) for n, (event, _) in enumerate(REFUSED.values(), start=1)
    ]
    before = api.stored()
    with pytest.raises(Refused) as refused:
        api.app.import_lines(lines, default_by="import")
    assert [r.line for r in refused.value.refusals] == [n for n, _ in lines]
    assert all(r.code == "invalid_event" for r in refused.value.refusals)
    assert api.stored() == before


@pytest.mark.parametrize("by", ["kari\u0000", "kari\n", "ka\u200bri"])
def test_who_logged_an_event_holds_no_control_or_invisible_character(api: Api, by: str) -> None:
    with pytest.raises(Refused) as refused:
        api.app.submit([(1, follow_up(by=by))])
    assert refused.value.refusals[0].message.startswith("by holds"), refused.value.refusals


ACCEPTED: dict[str, dict[str, Any]] = {
    "lines and tabs in a note": follow_up(note="Første linje\nandre linje\tmed tab"),
    "Norwegian letters, dashes and a non-breaking space": follow_up(
        note="Åse møtte Øystein – kl.\u00a014"
    ),
    "an emoji": follow_up(note="Takk 👍"),
    "the earliest day": opened("S-1900", on="1900-01-01"),
    "refs of every character of the alphabet": opened("Az09._:-", id="Az09._:-op"),
}


@pytest.mark.parametrize("event", list(ACCEPTED.values()), ids=list(ACCEPTED))
def test_what_a_person_types_is_kept(api: Api, event: dict[str, Any]) -> None:
    answer = api.post("/api/events", as_="caseworker", json=event)
    assert answer.status_code == 201, answer.text


ROUTES = [
    "/api/cases/{ref}",
    "/api/cases/{ref}/history",
    "/api/cases/{ref}/access-log",
    "/api/dwellings/{ref}",
]
BAD_REFS = ["%EF%BC%B3-00002", "S-00002%E2%80%8B", "S%E2%80%9100002", "t%00", "S%2000002"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("ref", BAD_REFS)
def test_a_route_for_a_ref_outside_the_alphabet_answers_that_the_ref_is_invalid(
    api: Api, route: str, ref: str
) -> None:
    answer = api.get(route.format(ref=ref), as_="caseworker")
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"][0]["field"] == "path.ref"


@pytest.mark.parametrize("ref", BAD_REFS)
def test_a_field_user_writing_to_a_ref_outside_the_alphabet_is_refused_not_a_server_error(
    api: Api, ref: str
) -> None:
    from urllib.parse import unquote

    answer = api.post("/api/events", as_="field", json=follow_up(case=unquote(ref)))
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"][0]["detail_en"].startswith("case must be")
    assert answer.json()["error"]["details"][0]["field"] == "case"


def test_the_case_page_for_a_ref_outside_the_alphabet_says_so(api: Api, tmp_path: Path) -> None:
    from tests.security.conftest import browser

    client = browser(api, "caseworker")
    for ref in BAD_REFS:
        answer = client.get(f"/app/saker/{ref}")
        assert answer.status_code == 400, (ref, answer.text)
        assert "Ugyldig saksnummer" in answer.text
    found = client.get("/app/saker", params={"sak": "S-00002\u200b"})
    assert found.status_code == 400
    assert client.get(f"/app/saker/{CASE}").status_code == 200


def test_a_note_typed_in_a_form_keeps_its_lines_though_the_browser_sends_crlf(api: Api) -> None:
    from tests.security.conftest import browser, csrf_of

    client = browser(api, "caseworker")
    page = client.get(f"/app/saker/{CASE}")
    data = {
        "csrf": csrf_of(page.text),
        "event_id": "web-crlf-1",
        "on": "2024-02-05",
        "kind": "phone",
        "minutes": "5",
        "note": "linje 1\r\nlinje 2\r\n",
    }
    answer = client.post(f"/app/saker/{CASE}/skjema/oppfolging", data=data)
    assert answer.status_code == 303, answer.text
    notes = {e["id"]: e.get("note") for e in api.app.export(case=CASE)}
    assert notes["web-crlf-1"] == "linje 1\nlinje 2"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/cases", "group"),
        ("/api/cases", "team"),
        ("/api/dwellings", "category"),
        ("/api/dwellings", "district"),
    ],
)
def test_a_filter_holding_a_nul_is_refused_not_a_server_error(
    api: Api, path: str, name: str
) -> None:
    answer = api.get(path, as_="caseworker", params={name: "other\u0000"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"][0]["field"] == f"query.{name}"
    assert api.get(path, as_="caseworker", params={name: "other"}).status_code == 200
