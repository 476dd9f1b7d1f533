"""Two field teams against each other: a caretaker (team A) never writes a case that belongs
only to Housing First (team B), through any route of the API or the pages, and reads one only
with a stated reason, each such read logged and flagged; and the other way round. Restricted
cases stay closed whatever the reason."""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import RESTRICTED_CASE, Api, personal_values
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


REASON = {"X-Access-Reason": quote("akutt: nattevakt ringte")}
NO_REASONS = [{}, {"X-Access-Reason": ""}, {"X-Access-Reason": "   "}, {"X-Access-Reason": "ja"}]


@pytest.mark.parametrize("role", ["field", "housing_first"])
def test_a_field_user_writes_none_of_the_other_teams_cases_and_reads_them_only_with_a_reason(
    production: Api, role: str
) -> None:
    mine, theirs = only(production, role), only(production, OTHER[role])
    assert len(mine) >= 5 and len(theirs) >= 5
    before, log = production.stored(), len(production.services.access_log.entries(limit=10**6))
    team = TEAMS[role]
    for ref in theirs[:10]:
        for path in (f"/api/cases/{ref}", f"/api/cases/{ref}/history"):
            for headers in NO_REASONS:
                answer = production.get(path, as_=role, headers=headers)
                assert answer.status_code == 403, (path, headers, answer.text)
                assert answer.json()["error"]["code"] == "reason_required"
        assert production.get(f"/api/cases/{ref}/access-log", as_=role).status_code == 403
        for body in (follow_up(ref, team), concern(ref)):
            for headers in ({}, REASON):
                answer = production.post("/api/events", as_=role, json=body, headers=headers)
                assert answer.status_code == 403
        batch = [follow_up(mine[0], team), follow_up(ref, team)]
        answer = production.post("/api/events:batch", as_=role, json=batch, headers=REASON)
        assert answer.status_code == 403
    assert production.stored() == before
    assert len(production.services.access_log.entries(limit=10**6)) == log

    for ref in theirs[:3]:
        for path, route in (
            (f"/api/cases/{ref}", "GET /api/cases/{ref}"),
            (f"/api/cases/{ref}/history", "GET /api/cases/{ref}/history"),
        ):
            answer = production.get(path, as_=role, headers=REASON)
            assert answer.status_code == 200, (path, answer.text)
            entry = production.services.access_log.entries(limit=1)[0]
            assert (entry.case, entry.route, entry.reason, entry.flagged) == (
                ref,
                route,
                "akutt: nattevakt ringte",
                True,
            )
    assert len(production.services.access_log.entries(limit=10**6)) == log + 6
    assert production.stored() == before


@pytest.mark.parametrize("role", ["field", "housing_first"])
def test_a_reason_does_not_open_a_restricted_case_to_a_field_user(
    production: Api, role: str
) -> None:
    log = len(production.services.access_log.entries(limit=10**6))
    for path in (f"/api/cases/{RESTRICTED_CASE}", f"/api/cases/{RESTRICTED_CASE}/history"):
        answer = production.get(path, as_=role, headers=REASON)
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "forbidden"
    assert len(production.services.access_log.entries(limit=10**6)) == log


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
def test_the_pages_ask_why_before_showing_another_teams_case_and_refuse_its_forms(
    production: Api, role: str
) -> None:
    client = browser(production, role)
    ref = only(production, OTHER[role])[0]
    own = only(production, role)[0]
    own_page = client.get(f"/app/saker/{own}")
    csrf = csrf_of(own_page.text)
    before = production.stored()
    log = production.services.access_log.entries(limit=10**6)

    asked = client.get(f"/app/saker/{ref}")
    without_csrf = client.post(f"/app/saker/{ref}/innsyn", data={"grunn": "akutt nattevakt"})
    too_short = client.post(f"/app/saker/{ref}/innsyn", data={"csrf": csrf, "grunn": "  ja  "})
    still_asked = client.get(f"/app/saker/{ref}")

    def write() -> tuple[int, int]:
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
        return form.status_code, retraction.status_code

    refused_before = write()
    assert production.services.access_log.entries(limit=10**6) == log

    stated = client.post(
        f"/app/saker/{ref}/innsyn", data={"csrf": csrf, "grunn": " akutt,\n nattevakt ringte "}
    )
    shown = client.get(f"/app/saker/{ref}")
    entry = production.services.access_log.entries(limit=1)[0]
    refused_after = write()

    assert own_page.status_code == 200
    assert asked.status_code == 200 and "Oppgi grunn for innsyn" in asked.text
    assert f'action="/app/saker/{ref}/innsyn"' in asked.text
    assert 'id="tidslinje"' not in asked.text
    assert not [v for v in personal_values() if len(v) > 3 and v in asked.text]
    assert without_csrf.status_code == 403
    assert too_short.status_code == 422 and "Oppgi grunn for innsyn" in too_short.text
    assert still_asked.status_code == 200 and 'id="tidslinje"' not in still_asked.text
    assert stated.status_code == 303 and stated.headers["location"] == f"/app/saker/{ref}"
    assert shown.status_code == 200 and 'id="tidslinje"' in shown.text
    assert 'id="utenfor-team"' in shown.text and "/skjema/" not in shown.text
    assert (entry.case, entry.route, entry.reason, entry.flagged) == (
        ref,
        "GET /app/saker/{ref}",
        "akutt, nattevakt ringte",
        True,
    )
    assert refused_before == refused_after == (403, 403)
    assert production.stored() == before


@pytest.mark.parametrize("role", ["field", "housing_first"])
def test_a_stated_reason_on_the_pages_does_not_open_a_restricted_case(
    production: Api, role: str
) -> None:
    client = browser(production, role)
    csrf = csrf_of(client.get(f"/app/saker/{only(production, role)[0]}").text)
    log = production.services.access_log.entries(limit=10**6)
    stated = client.post(
        f"/app/saker/{RESTRICTED_CASE}/innsyn", data={"csrf": csrf, "grunn": "akutt nattevakt"}
    )
    page = client.get(f"/app/saker/{RESTRICTED_CASE}")
    assert (stated.status_code, page.status_code) == (403, 403)
    assert production.services.access_log.entries(limit=10**6) == log


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_field_user_reads_a_case_without_a_reason_exactly_when_it_belongs_to_their_team(
    production: Api, data: st.DataObject
) -> None:
    """Without a reason: 200 exactly for the team's cases; with one: 200 for every case that
    is not restricted, flagged exactly when it is not the team's. One entry per read, none
    per refusal, and none holds personal data."""
    groups = team_cases(production)
    every = sorted(ref.split(":", 1)[-1] for refs in groups.values() for ref in refs)
    role = data.draw(st.sampled_from(["field", "housing_first"]))
    ref = data.draw(st.sampled_from(every))
    reason = data.draw(st.sampled_from([None, "  ", "hjemmebesøk avtalt", "akutt"]))
    teams = next(name for name, refs in groups.items() if f"case:{ref}" in refs or ref in refs)
    own = TEAMS[role] in teams.split("+")
    stated = reason is not None and len(reason.strip()) >= 5
    allowed = ref != RESTRICTED_CASE and (own or stated)
    headers = {} if reason is None else {"X-Access-Reason": quote(reason)}
    log = production.services.access_log.entries(limit=10**6)

    answer = production.get(f"/api/cases/{ref}", as_=role, headers=headers)

    after = production.services.access_log.entries(limit=10**6)
    assert answer.status_code == (200 if allowed else 403), (role, ref, teams, reason)
    assert after[1:] == log if allowed else after == log
    if allowed:
        entry = after[0]
        assert (entry.case, entry.flagged) == (ref, not own)
        assert entry.reason == (reason.strip() or None if reason is not None else None)
        held = " ".join(str(v) for v in vars(entry).values())
        assert not [value for value in personal_values() if value in held]


@pytest.mark.parametrize("kind", [[], {}, ["FollowUpLogged"], 7, None])
def test_a_field_users_event_whose_type_is_not_text_is_refused_not_a_server_error(
    production: Api, kind: Any
) -> None:
    event = {**follow_up(only(production, "field")[0], "caretaker"), "type": kind}
    for path, body in (("/api/events", event), ("/api/events:batch", [event])):
        answer = production.post(path, as_="field", json=body)
        assert answer.status_code in (403, 422), (path, answer.status_code)
