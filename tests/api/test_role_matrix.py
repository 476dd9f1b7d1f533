"""Every route for every role: deny by default, 403 outside one's role or team (a field user
reads another team's case only with a stated reason), 404 where a case or dwelling does not
exist."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.api.conftest import (
    CARETAKER_CASE,
    HOUSING_FIRST_CASE,
    NO_TEAM_CASE,
    RESTRICTED_CASE,
    Api,
)

ROLES = ("anonymous", "field", "housing_first", "caseworker", "leader", "admin")
ids = itertools.count(1)


def follow_up(case: str, team: str = "caretaker") -> dict[str, Any]:
    return {
        "id": f"matrix-{next(ids)}",
        "type": "FollowUpLogged",
        "case": case,
        "on": "2024-03-01",
        "team": team,
        "kind": "home_visit",
        "minutes": 30,
    }


def dwelling() -> dict[str, Any]:
    return {
        "id": f"matrix-{next(ids)}",
        "type": "DwellingRegistered",
        "dwelling": f"B-M{next(ids)}",
        "on": "2024-03-01",
        "category": "small_house",
        "district": "vang",
        "rooms": 2,
    }


def concern(case: str) -> dict[str, Any]:
    return {
        "id": f"matrix-{next(ids)}",
        "type": "ConcernReported",
        "case": case,
        "on": "2024-03-01",
        "to": "nav",
    }


# route name -> (method, path, body factory or None, {role: expected status}); a role not
# listed expects 403, anonymous always 401 unless listed.
Route = tuple[str, str, Any, dict[str, int]]
EVERYONE_READS = dict.fromkeys(("field", "housing_first", "caseworker", "leader", "admin"), 200)
MATRIX: dict[str, Route] = {
    "health": ("GET", "/api/health", None, {**EVERYONE_READS, "anonymous": 200}),
    "readiness": ("GET", "/api/health/ready", None, {**EVERYONE_READS, "anonymous": 200}),
    "metrics": ("GET", "/metrics", None, {"admin": 200}),
    "open alerts": (
        "GET",
        "/api/alerts",
        None,
        {"field": 200, "housing_first": 200, "caseworker": 200, "admin": 200},
    ),
    "case list": (
        "GET",
        "/api/cases",
        None,
        {"field": 200, "housing_first": 200, "caseworker": 200, "admin": 200},
    ),
    "a caretaker case": (
        "GET",
        f"/api/cases/{CARETAKER_CASE}",
        None,
        {"field": 200, "caseworker": 200, "admin": 200},
    ),
    "a housing first case": (
        "GET",
        f"/api/cases/{HOUSING_FIRST_CASE}",
        None,
        {"housing_first": 200, "caseworker": 200, "admin": 200},
    ),
    "a case of no team": (
        "GET",
        f"/api/cases/{NO_TEAM_CASE}",
        None,
        {"caseworker": 200, "admin": 200},
    ),
    "a restricted case": ("GET", f"/api/cases/{RESTRICTED_CASE}", None, {"admin": 200}),
    "a case that does not exist": (
        "GET",
        "/api/cases/S-NONE",
        None,
        {"field": 404, "housing_first": 404, "caseworker": 404, "admin": 404},
    ),
    "a caretaker case's history": (
        "GET",
        f"/api/cases/{CARETAKER_CASE}/history",
        None,
        {"field": 200, "caseworker": 200, "admin": 200},
    ),
    "a restricted case's history": (
        "GET",
        f"/api/cases/{RESTRICTED_CASE}/history",
        None,
        {"admin": 200},
    ),
    "history of no case": (
        "GET",
        "/api/cases/S-NONE/history",
        None,
        {"field": 404, "housing_first": 404, "caseworker": 404, "admin": 404},
    ),
    "access log of a case": (
        "GET",
        f"/api/cases/{CARETAKER_CASE}/access-log",
        None,
        {"caseworker": 200, "admin": 200},
    ),
    "access log of a restricted case": (
        "GET",
        f"/api/cases/{RESTRICTED_CASE}/access-log",
        None,
        {"admin": 200},
    ),
    "access log of no case": (
        "GET",
        "/api/cases/S-NONE/access-log",
        None,
        {"caseworker": 404, "admin": 404},
    ),
    "the whole access log": ("GET", "/api/access-log", None, {"admin": 200}),
    "the flagged reads": ("GET", "/api/access-log?flagged=true", None, {"admin": 200}),
    "dwelling list": ("GET", "/api/dwellings", None, EVERYONE_READS),
    "a dwelling": ("GET", "/api/dwellings/B-0984", None, EVERYONE_READS),
    "a dwelling that does not exist": (
        "GET",
        "/api/dwellings/B-NONE",
        None,
        dict.fromkeys(EVERYONE_READS, 404),
    ),
    "waiting list": ("GET", "/api/waiting-list?as_of=2023-09-01", None, {"caseworker": 200}),
    # waiting (issue 13): the households with their names
    "waiting households": (
        "GET",
        "/api/waiting-list/households?as_of=2023-09-01&limit=5",
        None,
        {"caseworker": 200},
    ),
    "status report": (
        "GET",
        "/api/reports/status?as_of=2023-09-01",
        None,
        {"caseworker": 200, "leader": 200},
    ),
    "annual report": (
        "GET",
        "/api/reports/annual?year=2023",
        None,
        {"caseworker": 200, "leader": 200},
    ),
    "outcome report": (
        "GET",
        "/api/reports/outcomes?year=2023",
        None,
        {"caseworker": 200, "leader": 200},
    ),
    "data-quality lists": (
        "GET",
        "/api/reports/data-quality?as_of=2023-09-01",
        None,
        {"field": 200, "housing_first": 200, "caseworker": 200, "admin": 200},
    ),
    "users": ("GET", "/api/users", None, {"admin": 200}),
    "the changes of users": ("GET", "/api/users/changes", None, {"admin": 200}),
    "an added user": (
        "POST",
        "/api/users",
        lambda: {"name": f"matrix-{next(ids)}", "role": "leader"},
        {"admin": 201},
    ),
    "a change of an unknown user": (
        "PATCH",
        "/api/users/nobody",
        lambda: {"role": "leader"},
        {"admin": 404},
    ),
    "a deactivation of an unknown user": (
        "POST",
        "/api/users/nobody/deactivate",
        None,
        {"admin": 404},
    ),
    "a reactivation of an unknown user": (
        "POST",
        "/api/users/nobody/reactivate",
        None,
        {"admin": 404},
    ),
    "a new token for an unknown user": ("POST", "/api/users/nobody/token", None, {"admin": 404}),
    "a caretaker follow-up on a caretaker case": (
        "POST",
        "/api/events",
        lambda: follow_up(CARETAKER_CASE),
        {"field": 201, "caseworker": 201},
    ),
    "a concern on a housing first case": (
        "POST",
        "/api/events",
        lambda: concern(HOUSING_FIRST_CASE),
        {"housing_first": 201, "caseworker": 201},
    ),
    "a follow-up on a case of no team": (
        "POST",
        "/api/events",
        lambda: follow_up(NO_TEAM_CASE),
        {"caseworker": 201},
    ),
    "a follow-up on a restricted case": (
        "POST",
        "/api/events",
        lambda: follow_up(RESTRICTED_CASE),
        {"admin": 201},  # closed to writes as to reads: admins alone read and write it
    ),
    "a dwelling registration": ("POST", "/api/events", dwelling, {"caseworker": 201}),
    "a batch of follow-ups on a caretaker case": (
        "POST",
        "/api/events:batch",
        lambda: [follow_up(CARETAKER_CASE), follow_up(CARETAKER_CASE)],
        {"field": 201, "caseworker": 201},
    ),
    "a restriction of an unknown case": (
        "POST",
        "/api/cases/S-NONE/restriction",
        lambda: {"reason": "test"},
        {"admin": 404},
    ),
    "a restriction of a case": (
        "POST",
        "/api/cases/S-00013/restriction",
        lambda: {"reason": "sperret etter søknad"},
        {"admin": 204},
    ),
    "the restrictions of a case": ("GET", "/api/cases/S-00013/restrictions", None, {"admin": 200}),
    "a lifting where nothing is restricted": (
        "POST",
        "/api/cases/S-00014/restriction/lifting",
        lambda: {"reason": "ikke sperret"},
        {"admin": 409},
    ),
    "an erasure of a case": (
        "POST",
        "/api/cases/S-00012/erasure",
        lambda: {"reason": "oppbevaringstiden er ute"},
        {"admin": 204},
    ),
    "an erasure of an unknown case": (
        "POST",
        "/api/cases/S-NONE/erasure",
        lambda: {"reason": "test"},
        {"admin": 404},
    ),
}


def expected(route: str, role: str) -> int:
    statuses = MATRIX[route][3]
    if role in statuses:
        return statuses[role]
    return 401 if role == "anonymous" else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(MATRIX))
def test_each_role_gets_what_its_role_allows_on_every_route(
    moss: Api, route: str, role: str
) -> None:
    method, path, body, _ = MATRIX[route]
    as_ = None if role == "anonymous" else role
    response = moss.client.request(
        method, path, headers=moss.headers(as_), **({} if body is None else {"json": body()})
    )
    assert response.status_code == expected(route, role), response.text
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}


def template(path: str) -> str:
    parts = path.split("?")[0].split("/")
    if len(parts) > 3 and parts[2] in ("cases", "dwellings"):
        parts[3] = "{ref}"
    if len(parts) > 3 and parts[2] == "users" and parts[3] != "changes":
        parts[3] = "{name}"
    return "/".join(parts)


def test_every_route_of_the_api_is_in_the_matrix(moss: Api) -> None:
    documented = {
        (method.upper(), path)
        for path, item in moss.get("/openapi.json", as_=None).json()["paths"].items()
        for method in item
    }
    covered = {(method, template(path)) for method, path, _, _ in MATRIX.values()}
    assert documented == covered


def test_a_field_worker_sees_only_cases_of_their_team_in_the_list(moss: Api) -> None:
    page = moss.get("/api/cases", as_="field", params={"limit": 500}).json()
    assert page["total"] > 0
    assert all("caretaker" in case["teams"] for case in page["items"])
    everyone = moss.get("/api/cases", as_="caseworker").json()
    assert everyone["total"] > page["total"]


def test_a_field_worker_cannot_log_a_follow_up_for_another_team(moss: Api) -> None:
    event = follow_up(CARETAKER_CASE, team="housing_first")
    response = moss.post("/api/events", as_="field", json=event)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_your_team"


def test_a_field_worker_cannot_log_a_settlement_even_on_their_own_case(moss: Api) -> None:
    event = {
        "id": "matrix-settle",
        "type": "Settled",
        "case": CARETAKER_CASE,
        "on": "2024-03-01",
        "tenure": "private_rental",
    }
    assert moss.post("/api/events", as_="field", json=event).status_code == 403


def test_restricted_cases_are_hidden_from_lists_but_for_admins(moss: Api) -> None:
    def refs(role: str) -> set[str]:
        page = moss.get("/api/cases", as_=role, params={"limit": 500, "offset": 0}).json()
        found = {c["ref"] for c in page["items"]}
        offset = 500
        while offset < page["total"]:
            more = moss.get("/api/cases", as_=role, params={"limit": 500, "offset": offset})
            found |= {c["ref"] for c in more.json()["items"]}
            offset += 500
        return found

    assert RESTRICTED_CASE not in refs("caseworker")
    assert RESTRICTED_CASE in refs("admin")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("field", f"/api/cases/{HOUSING_FIRST_CASE}"),
        ("field", f"/api/cases/{HOUSING_FIRST_CASE}/history"),
        ("housing_first", f"/api/cases/{CARETAKER_CASE}"),
        ("housing_first", f"/api/cases/{CARETAKER_CASE}/history"),
    ],
)
def test_a_field_worker_reads_a_case_outside_their_team_only_with_a_reason(
    moss: Api, role: str, path: str
) -> None:
    without = moss.get(path, as_=role)
    blank = moss.get(path, as_=role, headers={"X-Access-Reason": "%20%20%09"})
    with_reason = moss.get(path, as_=role, headers={"X-Access-Reason": "akutt%20nattevakt"})
    assert (without.status_code, blank.status_code, with_reason.status_code) == (403, 403, 200)
    assert without.json()["error"]["code"] == blank.json()["error"]["code"] == "reason_required"


@pytest.mark.parametrize(
    "reason",
    [
        "x" * 201,
        "akutt%0Anattevakt",
        "akutt%09nattevakt",
        "%1B%5B2Jakutt",
        "ring%20912%2034%20567",
        "fnr%2001010112345",
    ],
)
def test_a_reason_too_long_with_control_characters_or_a_personal_number_is_refused(
    moss: Api, reason: str
) -> None:
    answer = moss.get(
        f"/api/cases/{HOUSING_FIRST_CASE}", as_="field", headers={"X-Access-Reason": reason}
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_request"
