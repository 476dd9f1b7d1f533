"""Fixtures of the security tests: the Moss sample behind production settings (no docs, HSTS,
`__Host-` cookies), clients per role, and a second caretaker and housing-first user so that two
field teams can be set against each other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.case_summaries import teams_of
from domain.application import Boligspor
from settings import Settings
from tests.api.conftest import USERS, Api, restrict
from tests.conftest import TODAY_NOW, make_settings, sample_lines

HTTPS = "https://testserver"


def production_settings(folder: Path) -> Settings:
    return make_settings(f"sqlite:///{folder / 'moss.sqlite'}").model_copy(
        update={"production": True}
    )


def build(settings: Settings, sample: bool = True) -> tuple[FastAPI, Api]:
    app = Boligspor(settings, clock=lambda: TODAY_NOW)
    if sample:
        app.submit(sample_lines("moss-2023.jsonl"))
    web = create_app(settings, application=app)
    services = web.state.services
    tokens = {
        role: services.users.add(name, kind, team, now=TODAY_NOW)[1]
        for role, (name, kind, team) in USERS.items()
    }
    return web, Api(TestClient(web, base_url=HTTPS), app, services, tokens)


@pytest.fixture(scope="session")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The Moss sample behind production settings, a token per role (tests.api USERS)."""
    settings = production_settings(tmp_path_factory.mktemp("security"))
    _, api = build(settings)
    restrict(api, "S-00010")
    yield api
    api.services.close()
    api.app.close()


@pytest.fixture(scope="session")
def development(tmp_path_factory: pytest.TempPathFactory, production: Api) -> Iterator[Api]:
    """The same store behind development settings: the OpenAPI schema is served here."""
    settings = production.services.settings.model_copy(update={"production": False})
    web = create_app(settings, application=production.app)
    api = Api(TestClient(web, base_url=HTTPS), production.app, web.state.services)
    api.tokens = dict(production.tokens)
    yield api
    api.services.close()


NAMES = {role: name for role, (name, _, _) in USERS.items()}


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def browser(api: Api, role: str | None) -> TestClient:
    """A new cookie-keeping client of the pages, signed in as the role's user (None: visitor)."""
    client = TestClient(api.client.app, base_url=HTTPS, follow_redirects=False)
    page = client.get("/app/logg-inn")
    if role is not None:
        answer = client.post(
            "/app/logg-inn",
            data={"csrf": csrf_of(page.text), "name": NAMES[role], "token": api.tokens[role]},
        )
        assert answer.status_code == 303, answer.text
    return client


def team_cases(api: Api) -> dict[str, list[str]]:
    """Case refs by the exact set of teams they belong to, e.g. "caretaker" or "none"."""
    refs = [
        str(ref)
        for (ref,) in api.app.sql.query(
            f"SELECT DISTINCT stream FROM {api.app.sql.table('event_index')}"
        )
        if str(ref).startswith("case:")
    ]
    with api.services.reads.reading() as tx:
        teams = teams_of(tx, [ref.split(":", 1)[1] for ref in refs])
    found: dict[str, list[str]] = {}
    for ref, names in sorted(teams.items()):
        found.setdefault("+".join(names) or "none", []).append(ref)
    return found
