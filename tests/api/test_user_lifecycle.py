"""Users over their whole life through the admin API, on both backends: add, change role and
team, deactivate, reactivate, a new token, and the append-only log of every change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import Api

ADMIN = "admin"


def add(api: Api, name: str, role: str, team: str | None = None) -> str:
    answer = api.post("/api/users", as_=ADMIN, json={"name": name, "role": role, "team": team})
    assert answer.status_code == 201, answer.text
    token: str = answer.json()["token"]
    api.tokens[name] = token
    return token


def test_an_admin_adds_a_user_whose_token_works_at_once(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    add(api, "siv", "caseworker")

    assert api.get("/api/cases", as_="siv").status_code == 200
    listed = {u["name"]: u for u in api.get("/api/users", as_=ADMIN).json()}
    assert listed["siv"]["role"] == "caseworker" and listed["siv"]["active"] is True
    assert "token" not in listed["siv"]


def test_only_admins_manage_users(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    body = {"name": "siv", "role": "admin", "team": None}
    for role in ("caseworker", "field", "leader"):
        assert api.post("/api/users", as_=role, json=body).status_code == 403
        assert api.post("/api/users/kari/deactivate", as_=role).status_code == 403
        assert (
            api.client.patch(
                "/api/users/ola", json={"role": "admin"}, headers=api.headers(role)
            ).status_code
            == 403
        )
        assert api.get("/api/users/changes", as_=role).status_code == 403
    assert api.post("/api/users", as_=None, json=body).status_code == 401
    assert [u["name"] for u in api.get("/api/users", as_=ADMIN).json()].count("siv") == 0


def test_a_changed_role_applies_from_the_next_request(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    before = api.get("/api/waiting-list", as_="leader")
    changed = api.client.patch(
        "/api/users/leif", json={"role": "caseworker", "team": None}, headers=api.headers(ADMIN)
    )
    after = api.get("/api/waiting-list", as_="leader")

    assert before.status_code == 403
    assert changed.status_code == 200 and changed.json()["role"] == "caseworker"
    assert after.status_code == 200


def test_a_field_role_needs_a_team_and_other_roles_have_none(
    fresh_api: Callable[[], Api],
) -> None:
    api = fresh_api()
    no_team = api.client.patch(
        "/api/users/kari", json={"role": "field"}, headers=api.headers(ADMIN)
    )
    team_for_admin = api.client.patch(
        "/api/users/kari", json={"role": "leader", "team": "nav"}, headers=api.headers(ADMIN)
    )
    unknown = api.client.patch(
        "/api/users/nobody", json={"role": "leader"}, headers=api.headers(ADMIN)
    )

    assert no_team.status_code == 422 and no_team.json()["error"]["code"] == "user_refused"
    assert "krever et team" in no_team.json()["error"]["details"][0]["message"]
    assert team_for_admin.status_code == 422
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_user"
    assert api.get("/api/cases", as_="caseworker").status_code == 200


def test_a_deactivated_users_token_stops_on_the_next_request_and_works_again_after_reactivation(
    fresh_api: Callable[[], Api],
) -> None:
    api = fresh_api()
    # A second process over the same database: nothing is cached in either.
    other = TestClient(create_app(api.services.settings, application=api.app))
    kari = api.headers("caseworker")
    assert other.get("/api/cases", headers=kari).status_code == 200

    deactivated = api.post("/api/users/kari/deactivate", as_=ADMIN)
    refused_here = api.get("/api/cases", as_="caseworker")
    refused_there = other.get("/api/cases", headers=kari)
    twice = api.post("/api/users/kari/deactivate", as_=ADMIN)
    listed = {u["name"]: u["active"] for u in api.get("/api/users", as_=ADMIN).json()}
    reactivated = api.post("/api/users/kari/reactivate", as_=ADMIN)

    assert deactivated.status_code == 204
    assert refused_here.status_code == 401 and refused_there.status_code == 401
    assert twice.status_code == 422
    assert listed["kari"] is False
    assert reactivated.status_code == 204
    assert other.get("/api/cases", headers=kari).status_code == 200


def test_an_admin_cannot_deactivate_themselves(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    answer = api.post("/api/users/anne/deactivate", as_=ADMIN)
    assert answer.status_code == 422
    assert api.get("/api/users", as_=ADMIN).status_code == 200


def test_a_rotated_token_replaces_the_old_one(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    old = api.tokens["leader"]
    rotated = api.post("/api/users/leif/token", as_=ADMIN)
    new = rotated.json()["token"]

    assert rotated.status_code == 201 and new != old
    assert api.get("/api/reports/status", as_="leader").status_code == 401
    answer = api.client.get("/api/reports/status", headers={"Authorization": f"Bearer {new}"})
    assert answer.status_code == 200


def test_every_change_is_listed_with_who_what_when_and_through_what(
    fresh_api: Callable[[], Api],
) -> None:
    api = fresh_api()
    add(api, "siv", "field", "caretaker")
    api.client.patch(
        "/api/users/siv", json={"role": "caseworker", "team": None}, headers=api.headers(ADMIN)
    )
    api.post("/api/users/siv/deactivate", as_=ADMIN)
    api.post("/api/users/siv/reactivate", as_=ADMIN)
    api.post("/api/users/siv/token", as_=ADMIN)

    changes = api.get("/api/users/changes", params={"user": "siv"}, as_=ADMIN).json()
    everyone = api.get("/api/users/changes", as_=ADMIN).json()

    assert [c["change"] for c in changes] == [
        "token_rotated",
        "reactivated",
        "deactivated",
        "changed",
        "added",
    ]
    assert {(c["by"], c["via"], c["user"]) for c in changes} == {("anne", "api", "siv")}
    assert changes[3]["detail"] == "rolle field → caseworker, team caretaker → -"
    assert changes[4]["detail"] == "rolle field, team caretaker"
    assert all(c["at"].startswith("2026-11-21T12:00:00") for c in changes)
    assert len(everyone) == len(changes) + 5  # and the five users the fixture added
    assert all(token not in str(everyone) for token in api.tokens.values())


@pytest.mark.parametrize("statement", ["UPDATE {t} SET change = 'x'", "DELETE FROM {t}"])
def test_the_change_log_cannot_be_rewritten_even_with_sql(
    fresh_api: Callable[[], Api], statement: str
) -> None:
    api = fresh_api()
    sql = api.app.sql
    before = api.get("/api/users/changes", as_=ADMIN).json()
    with pytest.raises(Exception, match="append-only"):
        sql.execute(statement.format(t=sql.table("user_changes")))
    assert api.get("/api/users/changes", as_=ADMIN).json() == before
