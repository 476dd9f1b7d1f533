"""Production settings: no API docs, HSTS, a content security policy, no sniffing, nothing with
personal data cached, and session cookies that are `__Host-`, Secure, HttpOnly and SameSite."""

from __future__ import annotations

import pytest

from tests.api.conftest import CARETAKER_CASE, Api

PERSONAL = [
    f"/api/cases/{CARETAKER_CASE}",
    f"/api/cases/{CARETAKER_CASE}/history",
    "/api/cases",
    "/api/waiting-list?as_of=2023-09-01",
]


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"])
def test_production_serves_no_api_documentation(production: Api, path: str) -> None:
    assert production.get(path, as_=None).status_code == 404


@pytest.mark.parametrize("path", [*PERSONAL, "/api/health", "/api/nothing", "/app/logg-inn"])
def test_every_answer_carries_hsts_csp_and_nosniff_in_production(
    production: Api, path: str
) -> None:
    answer = production.get(path, as_="caseworker")
    assert answer.headers["strict-transport-security"].startswith("max-age=")
    assert int(answer.headers["strict-transport-security"].split("=")[1].split(";")[0]) >= 31536000
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", PERSONAL)
def test_answers_with_personal_data_are_never_stored_by_caches(production: Api, path: str) -> None:
    answer = production.get(path, as_="caseworker")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"


def test_the_session_cookie_is_host_prefixed_secure_httponly_and_strict(production: Api) -> None:
    cookie = production.client.get("/app/logg-inn").headers["set-cookie"]
    name, _, attributes = cookie.partition(";")
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in attributes.split(";")}
    assert name.startswith("__Host-")
    assert {"secure", "httponly", "samesite", "path"} <= set(flags)
    assert flags["samesite"].lower() == "samesite=strict"
    assert flags["path"] == "Path=/"
    assert "domain" not in flags


def test_development_serves_the_docs_and_no_hsts(development: Api) -> None:
    assert development.get("/openapi.json", as_=None).status_code == 200
    docs = development.get("/docs", as_=None)
    assert docs.status_code == 200
    assert "strict-transport-security" not in docs.headers
