"""Read after write: a write answers without bringing the read models up to date, and every read
right after it (list, waiting list, the Mine page) still sees what was acknowledged; the team
check that guards a field worker's write reads the case, not the read models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Api
from tests.pages.conftest import csrf_of


def _lagging(api: Api) -> bool:
    return any(api.services.reads.lag(api.app).values())


def _follow_up(event_id: str, minutes: int) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "FollowUpLogged",
        "case": "S-1",
        "on": "2026-11-20",
        "team": "caretaker",
        "kind": "home_visit",
        "minutes": minutes,
    }


def test_every_read_right_after_a_write_sees_it(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    opened = [
        {
            "id": "e1",
            "type": "CaseOpened",
            "case": "S-1",
            "on": "2026-11-02",
            "household": {"adults": 1, "children": 1},
            "group": "families",
            "situation": "rough",
            "person": {"name": "Kari Nordmann"},
        },
        {"id": "e2", "type": "ApplicationReceived", "case": "S-1", "on": "2026-11-03"},
        {
            "id": "e3",
            "type": "ApplicationDecided",
            "case": "S-1",
            "on": "2026-11-05",
            "decision": "approved",
            "priority": "high",
        },
    ]
    stored = api.post("/api/events:batch", as_="caseworker", json=opened)
    assert stored.status_code == 201, stored.text
    assert _lagging(api)  # the write answered without catching up

    waiting = api.get("/api/waiting-list", as_="caseworker").json()
    assert [item["case"] for item in waiting["items"]] == ["S-1"]

    first = api.post("/api/events", as_="caseworker", json=_follow_up("f1", 20))
    assert first.status_code == 201
    assert _lagging(api)
    # The team check asks the case itself, not the read models: the caretaker team's first
    # follow-up, logged just now, makes the case theirs, so its field worker may log on it at
    # once, and the write still catches nothing up.
    second = api.post("/api/events", as_="field", json=_follow_up("f2", 45))
    assert second.status_code == 201, second.text
    assert _lagging(api)

    listed = api.get("/api/cases", as_="field").json()
    assert [(c["ref"], c["teams"]) for c in listed["items"]] == [("S-1", ["caretaker"])]
    assert api.post("/api/events", as_="caseworker", json=_follow_up("f3", 75)).status_code == 201

    pages = TestClient(api.client.app, follow_redirects=False)
    login = pages.get("/app/logg-inn")
    signed_in = pages.post(
        "/app/logg-inn",
        data={"csrf": csrf_of(login.text), "name": "ola", "token": api.tokens["field"]},
    )
    assert signed_in.status_code == 303
    assert _lagging(api)
    mine = pages.get("/app/mine").text
    assert "/app/saker/S-1" in mine
    assert "75 min" in mine  # the latest follow-up, stored just before
    assert not _lagging(api)
