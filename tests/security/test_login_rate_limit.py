"""Signing in is limited: five failed tries a minute per name, twenty per address, then 429."""

from __future__ import annotations

from pathlib import Path

from api.pages.login_limit import LoginLimiter
from tests.api.conftest import Api
from tests.conftest import make_settings
from tests.pages.conftest import csrf_of
from tests.security.conftest import build


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def try_login(api: Api, name: str, token: str) -> int:
    page = api.client.get("/app/logg-inn")
    answer = api.client.post(
        "/app/logg-inn",
        data={"csrf": csrf_of(page.text), "name": name, "token": token},
        follow_redirects=False,
    )
    return answer.status_code


def test_the_sixth_failed_sign_in_within_a_minute_answers_429_even_with_the_right_token(
    tmp_path: Path,
) -> None:
    _, api = build(make_settings(f"sqlite:///{tmp_path / 'x.sqlite'}"), sample=False)
    clock = Clock()
    api.client.app.state.pages.login_limit = LoginLimiter(  # type: ignore[attr-defined]
        api.app.sql, tries_per_user=5, tries_per_address=20, window=60, clock=clock
    )

    failures = [try_login(api, "kari", "wrong.token") for _ in range(5)]
    blocked = api.client.post("/app/logg-inn", data={"name": "kari"})  # no CSRF needed to see it
    limited = try_login(api, "kari", api.tokens["caseworker"])
    other_name = try_login(api, "anne", api.tokens["admin"])
    clock.now += 61
    after_a_minute = try_login(api, "kari", api.tokens["caseworker"])

    assert failures == [401] * 5
    assert blocked.status_code == 403  # the CSRF check comes first: nothing is counted
    assert limited == 429
    assert other_name == 303
    assert after_a_minute == 303


def test_the_429_page_says_when_to_try_again(tmp_path: Path) -> None:
    _, api = build(make_settings(f"sqlite:///{tmp_path / 'x.sqlite'}"), sample=False)
    for _ in range(5):
        try_login(api, "leif", "x.y")
    page = api.client.get("/app/logg-inn")
    answer = api.client.post(
        "/app/logg-inn", data={"csrf": csrf_of(page.text), "name": "leif", "token": "x.y"}
    )
    assert answer.status_code == 429
    assert 1 <= int(answer.headers["retry-after"]) <= 60
    assert "For mange mislykkede innlogginger" in answer.text
