"""Privacy: each read of a case's personal data leaves exactly one access-log entry (who, role,
case, what, when, why) holding no personal data; lists show no names and log nothing; nothing
the application offers can change or remove an entry."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.api.conftest import CARETAKER_CASE, HOUSING_FIRST_CASE, Api, personal_values
from tests.conftest import TODAY_NOW
from tests.security.conftest import NAMES, browser

READS = [
    ("caseworker", "api", f"/api/cases/{CARETAKER_CASE}", "GET /api/cases/{ref}"),
    ("field", "api", f"/api/cases/{CARETAKER_CASE}/history", "GET /api/cases/{ref}/history"),
    ("admin", "api", f"/api/cases/{HOUSING_FIRST_CASE}", "GET /api/cases/{ref}"),
    ("caseworker", "page", f"/app/saker/{CARETAKER_CASE}", "GET /app/saker/{ref}"),
    ("housing_first", "page", f"/app/saker/{HOUSING_FIRST_CASE}", "GET /app/saker/{ref}"),
]
LISTS = [
    ("caseworker", "api", "/api/cases?limit=500"),
    ("caseworker", "api", "/api/waiting-list?as_of=2023-09-01"),
    ("caseworker", "api", "/api/alerts"),
    ("caseworker", "api", "/api/dwellings?limit=500"),
    ("caseworker", "api", "/api/reports/status?as_of=2023-09-01"),
    ("leader", "api", "/api/reports/annual?year=2023"),
    ("caseworker", "page", "/app/mine?alle=1"),
    ("field", "page", "/app/mine?alle=1"),
    ("caseworker", "page", "/app/venteliste?dato=2023-09-01"),
    ("leader", "page", "/app/tall"),
    ("caseworker", "page", "/app/boliger"),
]


def get(api: Api, role: str, kind: str, path: str, reason: str | None = None) -> str:
    headers = {} if reason is None else {"X-Access-Reason": quote(reason)}
    if kind == "api":
        answer = api.get(path, as_=role, headers=headers)
    else:
        answer = browser(api, role).get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.text


@pytest.mark.parametrize(("role", "kind", "path", "route"), READS)
def test_each_read_of_personal_data_leaves_exactly_one_entry_without_the_data(
    production: Api, role: str, kind: str, path: str, route: str
) -> None:
    before = production.services.access_log.entries(limit=100_000)
    reason = "oppfølging etter møte" if kind == "api" else None
    get(production, role, kind, path, reason)
    after = production.services.access_log.entries(limit=100_000)

    assert after[1:] == before  # one new entry, newest first; none changed
    entry = after[0]
    case = path.split("/")[3]
    assert (entry.user, entry.role, entry.case, entry.route, entry.reason) == (
        NAMES[role],
        "field" if role == "housing_first" else role,
        case,
        route,
        reason,
    )
    assert entry.at.startswith(TODAY_NOW.date().isoformat())
    held = " ".join(str(v) for v in vars(entry).values())
    assert not [value for value in personal_values() if value in held]


@pytest.mark.parametrize(("role", "kind", "path"), LISTS)
def test_lists_and_figures_show_no_personal_data_and_log_no_read(
    production: Api, role: str, kind: str, path: str
) -> None:
    before = production.services.access_log.entries(limit=100_000)
    text = get(production, role, kind, path)
    assert not [value for value in personal_values() if len(value) > 3 and value in text]
    assert production.services.access_log.entries(limit=100_000) == before


def test_no_route_of_the_application_changes_or_removes_an_access_log_entry(
    production: Api,
) -> None:
    get(production, "caseworker", "api", f"/api/cases/{CARETAKER_CASE}", "før")
    before = production.services.access_log.entries(limit=100_000)
    paths = [
        f"/api/cases/{CARETAKER_CASE}/access-log",
        f"/api/cases/{CARETAKER_CASE}",
        "/api/cases",
        "/api/access-log",
        "/app/access-log",
    ]
    for role in ("admin", "caseworker"):
        for path in paths:
            for method in ("DELETE", "PUT", "PATCH", "POST"):
                answer = production.client.request(
                    method, path, headers=production.headers(role), json=[]
                )
                assert answer.status_code in (404, 405, 422), (method, path, answer.status_code)
    after = production.services.access_log.entries(limit=100_000)
    assert after[len(after) - len(before) :] == before


def test_a_stated_reason_does_not_open_another_teams_case_and_the_try_is_not_a_read(
    production: Api,
) -> None:
    before = production.services.access_log.entries(limit=100_000)
    answer = production.get(
        f"/api/cases/{CARETAKER_CASE}",
        as_="housing_first",
        headers={"X-Access-Reason": quote("akutt, nattevakt")},
    )
    assert answer.status_code == 403
    assert production.services.access_log.entries(limit=100_000) == before
