"""The outcome report and the data-quality lists over HTTP: equal to the samples' expected
files, the lists cut to what each role may read, and every case they show logged."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.conftest import CARETAKER_CASE, NO_TEAM_CASE, Api, restrict
from tests.conftest import SAMPLES

# A case on the Moss sample's lists (waiting 365 days without contact), restricted here.
RESTRICTED_LISTED = "S-00001"
DAY = "2023-09-01"


def expected(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return result


@pytest.fixture(scope="module")
def api(moss: Api) -> Api:
    restrict(moss, RESTRICTED_LISTED)
    return moss


def lists(api: Api, role: str) -> dict[str, list[str]]:
    response = api.get(f"/api/reports/data-quality?as_of={DAY}", as_=role)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["as_of"] == DAY
    checks: dict[str, list[str]] = body["checks"]
    return checks


def test_the_outcome_report_equals_the_expected_file(api: Api) -> None:
    response = api.get("/api/reports/outcomes?year=2023", as_="leader")
    assert response.status_code == 200, response.text
    assert response.json() == expected("moss-2023.outcomes-2023.json")


def test_an_admin_gets_the_expected_lists_and_a_caseworker_them_without_restricted_cases(
    api: Api,
) -> None:
    full = expected(f"moss-2023.data-quality-{DAY}.json")["checks"]
    assert RESTRICTED_LISTED in full["waiting_without_contact_365_days"]
    assert lists(api, "admin") == full
    assert lists(api, "caseworker") == {
        name: [ref for ref in refs if ref != RESTRICTED_LISTED] for name, refs in full.items()
    }


def test_a_field_user_gets_only_the_cases_of_their_team(api: Api) -> None:
    full = expected(f"moss-2023.data-quality-{DAY}.json")["checks"]
    seen = lists(api, "field")
    team = _listed_cases(api, "field")
    assert CARETAKER_CASE in seen["waiting_without_contact_365_days"]
    assert NO_TEAM_CASE in full["waiting_without_contact_365_days"]
    assert NO_TEAM_CASE not in seen["waiting_without_contact_365_days"]
    for name, refs in seen.items():
        assert set(refs) <= set(full[name]) & team


def test_every_case_the_lists_show_is_logged(api: Api) -> None:
    seen = lists(api, "field")
    shown = {ref for refs in seen.values() for ref in refs}
    for ref in sorted(shown):
        log = api.get(f"/api/cases/{ref}/access-log", as_="admin").json()
        assert any(
            e["user"] == "ola" and e["route"] == "GET /api/reports/data-quality" for e in log
        ), ref


def _listed_cases(api: Api, role: str) -> set[str]:
    """The cases the role's case list holds (a field user's: their team's)."""
    found: set[str] = set()
    offset, total = 0, 1
    while offset < total:
        page = api.get("/api/cases", as_=role, params={"limit": 500, "offset": offset}).json()
        found |= {case["ref"] for case in page["items"]}
        offset, total = offset + 500, page["total"]
    return found
