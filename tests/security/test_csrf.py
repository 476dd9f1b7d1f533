"""Every form of the pages, sent without this session's CSRF token (none, a wrong one, another
session's), changes nothing: no event stored, no one signed in or out, no reason for reading
another team's case kept."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient

from api.pages.forms import FORMS
from tests.api.conftest import CARETAKER_CASE, HOUSING_FIRST_CASE, Api
from tests.security.conftest import HTTPS, NAMES, browser, csrf_of

ids = itertools.count(1)
FIELDS = {
    "on": "2024-03-01",
    "kind": "phone",
    "minutes": "5",
    "complaint": "k-csrf",
    "category": "noise",
    "source": "neighbour",
    "to": "nav",
    "stay": "t-csrf",
    "decision": "rejected",
    "outcome": "upheld",
    "tenure": "private_rental",
    "reason": "own_choice",
    "target": "x",
}
ACTIONS = [
    *(f"/app/saker/{CARETAKER_CASE}/skjema/{form.slug}" for form in FORMS),
    f"/app/saker/{CARETAKER_CASE}/trekk-tilbake",
    "/app/logg-ut",
    # forms (issue 12)
    "/app/ny-sak",
    "/app/boligregister/registrer-bolig",
    "/app/boligregister/avvikle-bolig",
]


def tokens(api: Api, client: TestClient) -> dict[str, str | None]:
    other = browser(api, "caseworker")
    return {
        "none": None,
        "empty": "",
        "wrong": "x" * 43,
        # a page that reads no case (the lists show names and are logged, issue 13)
        "another session's": csrf_of(other.get("/app/boliger").text),
    }


@pytest.mark.parametrize("action", ACTIONS)
def test_a_form_without_this_sessions_token_changes_nothing(production: Api, action: str) -> None:
    client = browser(production, "caseworker")
    own = csrf_of(client.get(f"/app/saker/{CARETAKER_CASE}").text)
    before = production.stored()
    for name, token in tokens(production, client).items():
        data = {**FIELDS, "event_id": f"csrf-{next(ids)}"}
        if token is not None:
            data["csrf"] = token
        answer = client.post(action, data=data)
        assert answer.status_code == 403, (name, answer.status_code)
        assert production.stored() == before, name
    still_signed_in = client.get("/app/mine")
    assert still_signed_in.status_code == 200
    assert csrf_of(still_signed_in.text) == own


def test_a_login_without_the_forms_token_signs_no_one_in(production: Api) -> None:
    client = TestClient(production.client.app, base_url=HTTPS, follow_redirects=False)
    client.get("/app/logg-inn")
    other = TestClient(production.client.app, base_url=HTTPS)
    foreign = csrf_of(other.get("/app/logg-inn").text)
    for token in (None, "", "x" * 43, foreign):
        data = {"name": NAMES["caseworker"], "token": production.tokens["caseworker"]}
        if token is not None:
            data["csrf"] = token
        assert client.post("/app/logg-inn", data=data).status_code == 403
        assert client.get("/app/mine").status_code == 303  # still sent to the login page


def test_a_cross_site_form_without_a_session_cookie_is_refused(production: Api) -> None:
    client = TestClient(production.client.app, base_url=HTTPS, follow_redirects=False)
    before = production.stored()
    answer = client.post(
        f"/app/saker/{CARETAKER_CASE}/skjema/oppfolging",
        data={**FIELDS, "csrf": "x", "event_id": "csrf-anonymous"},
    )
    assert answer.status_code in (303, 403)
    assert production.stored() == before


def test_the_same_form_with_this_sessions_token_is_stored(production: Api) -> None:
    client = browser(production, "caseworker")
    own = csrf_of(client.get(f"/app/saker/{CARETAKER_CASE}").text)
    before = production.stored()
    answer = client.post(
        f"/app/saker/{CARETAKER_CASE}/skjema/oppfolging",
        data={**FIELDS, "csrf": own, "event_id": f"csrf-{next(ids)}"},
    )
    assert answer.status_code == 303, answer.text
    assert production.stored() > before


def test_a_reason_for_reading_another_teams_case_without_the_token_is_not_kept(
    production: Api,
) -> None:
    client = browser(production, "field")
    path = f"/app/saker/{HOUSING_FIRST_CASE}"
    own = csrf_of(client.get(path).text)
    log = production.services.access_log.entries(limit=100_000)
    for name, token in tokens(production, client).items():
        data = {"grunn": "akutt: nattevakt ringte"}
        if token is not None:
            data["csrf"] = token
        assert client.post(f"{path}/innsyn", data=data).status_code == 403, name
        asked = client.get(path)
        assert asked.status_code == 200 and "Oppgi grunn for innsyn" in asked.text, name
    assert production.services.access_log.entries(limit=100_000) == log
    kept = client.post(f"{path}/innsyn", data={"grunn": "akutt: nattevakt ringte", "csrf": own})
    assert kept.status_code == 303
    assert 'id="tidslinje"' in client.get(path).text
