"""Two field teams against each other: a caretaker (team A) never reads or writes a case that
belongs only to Housing First (team B), through any route of the API or the pages, with or
without a stated reason; and the other way round."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import RESTRICTED_CASE, Api
from tests.security.conftest import browser, csrf_of, team_cases

ids = itertools.count(1)
TEAMS = {"field": "caretaker", "housing_first": "housing_first"}
OTHER = {"field": "housing_first", "housing_first": "field"}


def follow_up(case: str, team: str) -> dict[str, Any]:
    return {
        "id": f"ola-{next(ids)}",
        "type": "FollowUpLogged",
        "case": case,
        "on": "2024-03-01",
        "team": team,
        "kind": "home_visit",
        "minutes": 30,
    }


def concern(case: str) -> dict[str, Any]:
    return {
        "id": f"ola-{next(ids)}",
        "type": "ConcernReported",
        "case": case,
        "on": "2024-03-01",
        "to": "nav",
    }


def only(api: Api, role: str) -> list[str]:
    """Cases of the role's team and of no other team, restricted ones left out."""
    refs = team_cases(api).get(TEAMS[role], [])
    return [ref.split(":", 1)[-1] for ref in refs if ref != RESTRICTED_CASE]


@pytest.mark.parametrize("role", ["field", "housing_first"])
def test_a_field_user_reads_and_writes_none_of_the_other_teams_cases(
    production: Api, role: str
) -> None:
    mine, theirs = only(production, role), only(production, OTHER[role])
    assert len(mine) >= 5 and len(theirs) >= 5
    before, log = production.stored(), len(production.services.access_log.entries())
    team = TEAMS[role]
    for ref in theirs[:10]:
        for path in (f"/api/cases/{ref}", f"/api/cases/{ref}/history"):
            for headers in ({}, {"X-Access-Reason": "akutt"}):
                answer = production.get(path, as_=role, headers=headers)
                assert answer.status_code == 403, (path, answer.text)
                assert answer.json()["error"]["code"] in ("forbidden", "not_your_team")
        assert production.get(f"/api/cases/{ref}/access-log", as_=role).status_code == 403
        for body in (follow_up(ref, team), concern(ref)):
            assert production.post("/api/events", as_=role, json=body).status_code == 403
        batch = [follow_up(mine[0], team), follow_up(ref, team)]
        assert production.post("/api/events:batch", as_=role, json=batch).status_code == 403
    assert production.stored() == before
    assert len(production.services.access_log.entries()) == log


@pytest.mark.parametrize("role", ["field", "housing_first"])
def test_lists_and_alerts_show_a_field_user_none_of_the_other_teams_cases(
    production: Api, role: str
) -> None:
    theirs = set(only(production, OTHER[role]))
    listed: set[str] = set()
    page = production.get("/api/cases", as_=role, params={"limit": 500}).json()
    listed |= {c["ref"] for c in page["items"]}
    for offset in range(500, page["total"], 500):
        more = production.get("/api/cases", as_=role, params={"limit": 500, "offset": offset})
        listed |= {c["ref"] for c in more.json()["items"]}
    alerts = {a["case"] for a in production.get("/api/alerts", as_=role).json()}
    mine_page = browser(production, role).get("/app/mine?alle=1").text
    assert listed and not listed & theirs
    assert not alerts & theirs
    assert not [ref for ref in theirs if f">{ref}<" in mine_page or f'/saker/{ref}"' in mine_page]


@pytest.mark.parametrize("role", ["field", "housing_first"])
def test_the_pages_refuse_another_teams_case_and_its_forms(production: Api, role: str) -> None:
    client = browser(production, role)
    ref = only(production, OTHER[role])[0]
    own = only(production, role)[0]
    own_page = client.get(f"/app/saker/{own}")
    csrf = csrf_of(own_page.text)
    before = production.stored()

    page = client.get(f"/app/saker/{ref}")
    form = client.post(
        f"/app/saker/{ref}/skjema/oppfolging",
        data={
            "csrf": csrf,
            "event_id": f"page-{next(ids)}",
            "on": "2024-03-01",
            "kind": "phone",
            "minutes": "5",
        },
    )
    retraction = client.post(
        f"/app/saker/{ref}/trekk-tilbake",
        data={"csrf": csrf, "event_id": f"page-{next(ids)}", "target": "x", "reason": "feil"},
    )

    assert own_page.status_code == 200
    assert (page.status_code, form.status_code, retraction.status_code) == (403, 403, 403)
    assert production.stored() == before


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_field_user_may_read_a_case_exactly_when_it_belongs_to_their_team(
    production: Api, data: st.DataObject
) -> None:
    groups = team_cases(production)
    every = sorted(ref.split(":", 1)[-1] for refs in groups.values() for ref in refs)
    role = data.draw(st.sampled_from(["field", "housing_first"]))
    ref = data.draw(st.sampled_from(every))
    teams = next(name for name, refs in groups.items() if f"case:{ref}" in refs or ref in refs)
    allowed = TEAMS[role] in teams.split("+") and ref != RESTRICTED_CASE
    answer = production.get(f"/api/cases/{ref}", as_=role)
    assert answer.status_code == (200 if allowed else 403), (role, ref, teams)


@pytest.mark.parametrize("kind", [[], {}, ["FollowUpLogged"], 7, None])
def test_a_field_users_event_whose_type_is_not_text_is_refused_not_a_server_error(
    production: Api, kind: Any
) -> None:
    event = {**follow_up(only(production, "field")[0], "caretaker"), "type": kind}
    for path, body in (("/api/events", event), ("/api/events:batch", [event])):
        answer = production.post(path, as_="field", json=body)
        assert answer.status_code in (403, 422), (path, answer.status_code)
