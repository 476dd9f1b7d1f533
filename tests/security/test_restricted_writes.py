"""A restricted case is closed to writes as it is to reads: a case worker's event on it is
refused through the API (one event or a batch) and the pages, before anything of the case is
looked at, with the very answer a read of the case gets; nothing is stored."""

from __future__ import annotations

import itertools
from typing import Any

from tests.api import conftest as api_fixtures
from tests.api.conftest import RESTRICTED_CASE, Api
from tests.security.conftest import browser, csrf_of

backend = api_fixtures.backend  # the Moss sample's API on each backend, as tests/api has it
moss = api_fixtures.moss
ids = itertools.count(1)


def event(kind: str) -> dict[str, Any]:
    return {"id": f"kari-{next(ids)}", "type": kind, "case": RESTRICTED_CASE, "on": "2024-12-01"}


# Each would tell something of the case if it were judged: it is settled (a second Settled
# breaks a rule), moved out, never in Housing First, approved (a second decision), and so on.
WRITES = [
    {**event("FollowUpLogged"), "team": "caretaker", "kind": "phone", "minutes": 5},
    {**event("Settled"), "tenure": "private_rental"},
    {**event("HousingFirstEnded"), "reason": "moved"},
    {**event("ApplicationDecided"), "decision": "rejected"},
    {**event("CaseClosed"), "reason": "flyttet fra kommunen"},
    {**event("EventRetracted"), "target": "ev-0001111", "reason": "feil sak"},
    {**event("EventRetracted"), "target": "no-such-event", "reason": "feil sak"},
    {"id": "kari-bad", "type": "MovedOut", "case": RESTRICTED_CASE, "on": "2024-12-01"},
]


def test_a_case_worker_cannot_write_to_a_restricted_case_and_learns_nothing_of_it(
    moss: Api,
) -> None:
    before = moss.stored()
    read = moss.get(f"/api/cases/{RESTRICTED_CASE}", as_="caseworker")
    assert read.status_code == 403
    for body in WRITES:
        one = moss.post("/api/events", as_="caseworker", json=body)
        assert (one.status_code, one.json()) == (403, read.json()), (body["type"], one.text)
        other = {**body, "id": f"kari-{next(ids)}", "case": "S-00003"}
        batch = moss.post("/api/events:batch", as_="caseworker", json=[other, body])
        assert (batch.status_code, batch.json()) == (403, read.json()), (body["type"], batch.text)
    assert moss.stored() == before


def test_the_pages_refuse_a_case_workers_form_and_retraction_on_a_restricted_case(
    moss: Api,
) -> None:
    client = browser(moss, "caseworker")
    csrf = csrf_of(client.get("/app/saker/S-00003").text)
    before = moss.stored()
    form = client.post(
        f"/app/saker/{RESTRICTED_CASE}/skjema/oppfolging",
        data={
            "csrf": csrf,
            "event_id": f"page-{next(ids)}",
            "on": "2024-03-01",
            "kind": "phone",
            "minutes": "5",
        },
    )
    retraction = client.post(
        f"/app/saker/{RESTRICTED_CASE}/trekk-tilbake",
        data={"csrf": csrf, "event_id": f"page-{next(ids)}", "target": "ev-0001111", "reason": "x"},
    )
    page = client.get(f"/app/saker/{RESTRICTED_CASE}")
    assert (form.status_code, retraction.status_code, page.status_code) == (403, 403, 403)
    assert "Housing First" not in form.text + retraction.text
    assert moss.stored() == before


def test_an_admin_still_reads_the_restricted_case_and_a_case_worker_writes_other_cases(
    moss: Api,
) -> None:
    assert moss.get(f"/api/cases/{RESTRICTED_CASE}", as_="admin").status_code == 200
    body = {**WRITES[0], "id": f"kari-{next(ids)}", "case": "S-00003"}
    assert moss.post("/api/events", as_="caseworker", json=body).status_code == 201


def test_a_case_that_is_not_text_is_refused_as_any_bad_event_not_a_server_error(moss: Api) -> None:
    for case in (["S-00003"], {"ref": RESTRICTED_CASE}, 7):
        body = {**WRITES[0], "id": f"kari-{next(ids)}", "case": case}
        assert moss.post("/api/events", as_="caseworker", json=body).status_code == 422
        assert moss.post("/api/events:batch", as_="caseworker", json=[body]).status_code == 422
