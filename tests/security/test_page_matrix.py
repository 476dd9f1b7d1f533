"""The web pages for every role: the matrix of tests/api/test_role_matrix.py, for /app. A
visitor who is not signed in is sent to the login page (303); a role not listed gets 403. A
field user opening another team's case is first asked for a reason (REASON: 200, the form
and not the case)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import (
    CARETAKER_CASE,
    HOUSING_FIRST_CASE,
    NO_TEAM_CASE,
    RESTRICTED_CASE,
    Api,
)
from tests.security.conftest import browser

ROLES = ("field", "housing_first", "caseworker", "leader", "admin")
READERS = {"field": 200, "housing_first": 200, "caseworker": 200, "admin": 200}
REASON = 1200  # 200, showing the form "Oppgi grunn for innsyn" instead of the case
PAGES: dict[str, tuple[str, dict[str, int]]] = {
    "start": ("/app/", dict.fromkeys(ROLES, 303)),
    "mine": ("/app/mine", READERS),
    "a caretaker case": (
        f"/app/saker/{CARETAKER_CASE}",
        {"field": 200, "housing_first": REASON, "caseworker": 200, "admin": 200},
    ),
    "a housing first case": (
        f"/app/saker/{HOUSING_FIRST_CASE}",
        {"field": REASON, "housing_first": 200, "caseworker": 200, "admin": 200},
    ),
    "a case of no team": (
        f"/app/saker/{NO_TEAM_CASE}",
        {"field": REASON, "housing_first": REASON, "caseworker": 200, "admin": 200},
    ),
    "a restricted case": (f"/app/saker/{RESTRICTED_CASE}", {"admin": 200}),
    "no case": ("/app/saker/S-NONE", dict.fromkeys(ROLES, 404)),
    "go to a case": (f"/app/saker?sak={CARETAKER_CASE}", dict.fromkeys(ROLES, 303)),
    "waiting list": ("/app/venteliste?dato=2023-09-01", {"caseworker": 200, "leader": 200}),
    "figures": ("/app/tall", {"caseworker": 200, "leader": 200}),
    "status download": ("/app/tall/status.csv?dato=2023-09-01", {"caseworker": 200, "leader": 200}),
    "annual download": ("/app/tall/arsrapport.xlsx?aar=2023", {"caseworker": 200, "leader": 200}),
    "dwellings": ("/app/boliger", dict.fromkeys(ROLES, 200)),
    "access log": ("/app/innsynslogg", {"admin": 200}),
    "flagged reads": ("/app/innsynslogg?merket=1", {"admin": 200}),
    # forms (issue 12)
    "new case": ("/app/ny-sak", {"field": 200, "housing_first": 200, "caseworker": 200}),
    "dwelling register": ("/app/boligregister", {"caseworker": 200}),
}


@pytest.fixture(scope="module")
def clients(production: Api) -> dict[str, TestClient]:
    return {role: browser(production, role) for role in ROLES}


@pytest.mark.parametrize("role", [*ROLES, "visitor"])
@pytest.mark.parametrize("page", list(PAGES))
def test_each_role_gets_what_its_role_allows_on_every_page(
    production: Api, clients: dict[str, TestClient], page: str, role: str
) -> None:
    path, statuses = PAGES[page]
    client = browser(production, None) if role == "visitor" else clients[role]
    answer = client.get(path)
    if role == "visitor":
        assert answer.status_code == 303
        assert answer.headers["location"].endswith("/app/logg-inn")
    elif statuses.get(role) == REASON:
        assert answer.status_code == 200, answer.text[:300]
        assert "Oppgi grunn for innsyn" in answer.text and 'id="tidslinje"' not in answer.text
    else:
        assert answer.status_code == statuses.get(role, 403), answer.text[:300]
        assert "Oppgi grunn for innsyn" not in answer.text
