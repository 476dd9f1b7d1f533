"""One error shape, 503 with Retry-After while the database is away and recovery after,
parameters refused without echoing them, and the OpenAPI page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from eventsourcing import persistence
from fastapi.testclient import TestClient

from api.app import create_app
from api.users import _digest
from domain.application import Boligspor
from settings import Settings
from tests.api.conftest import CARETAKER_CASE, Api
from tests.conftest import TEST_KEY


def test_while_the_database_is_unreachable_the_api_answers_503_and_recovers_after(
    moss: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Boligspor.max_position
    outage = {"left": 2}

    def flaky(self: Boligspor) -> int:
        if outage["left"]:
            outage["left"] -= 1
            raise persistence.OperationalError("connection refused")
        return real(self)

    monkeypatch.setattr(Boligspor, "max_position", flaky)
    down = [moss.get("/api/cases", as_="caseworker"), moss.get("/api/health", as_=None)]
    up = moss.get("/api/cases", as_="caseworker")

    assert [r.status_code for r in down] == [503, 503]
    assert all(r.headers["Retry-After"].isdigit() for r in down)
    assert down[0].json()["error"]["code"] == "store_unavailable"
    assert up.status_code == 200


def test_a_lost_read_store_connection_answers_503_once_and_is_opened_anew(moss: Api) -> None:
    if not moss.app.sql.postgres:
        pytest.skip("PostgreSQL only: a server-side kill of the read store's connection")
    store = moss.services.reads._store
    assert store is not None
    pid = store._connection.info.backend_pid
    with moss.app.sql.transaction() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    first = moss.get("/api/waiting-list", as_="caseworker")
    second = moss.get("/api/waiting-list", as_="caseworker")

    assert first.status_code == 503
    assert second.status_code == 200


def test_a_parameter_of_the_wrong_form_is_refused_without_echoing_it(moss: Api) -> None:
    response = moss.get("/api/reports/status", as_="leader", params={"as_of": "Kari Nordmann"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "invalid_request"
    assert body["error"]["details"][0]["field"] == "query.as_of"
    assert "Kari" not in response.text


def test_an_unknown_path_and_a_bad_token_answer_in_the_one_error_shape(moss: Api) -> None:
    missing = moss.get("/api/nothing-here", as_="caseworker")
    bad = moss.client.get("/api/cases", headers={"Authorization": "Bearer abc.def"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthenticated"
    assert bad.headers["WWW-Authenticate"] == "Bearer"


def test_production_settings_serve_no_docs(moss: Api) -> None:
    from fastapi.testclient import TestClient

    settings = Settings(
        database_url=moss.services.settings.database_url,
        payload_key=TEST_KEY,
        master_key=TEST_KEY,
        production=True,
    )
    client = TestClient(create_app(settings, application=moss.app))
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 404
    assert moss.client.get("/docs").status_code == 200


def test_every_operation_is_described_and_the_event_body_has_a_sample_example(moss: Api) -> None:
    schema: dict[str, Any] = moss.get("/openapi.json", as_=None).json()
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert all(op.get("description") and op.get("summary") for op in operations)
    assert all(
        "200" in op["responses"] or "201" in op["responses"] or "204" in op["responses"]
        for op in operations
    )
    post = schema["paths"]["/api/events"]["post"]
    example = post["requestBody"]["content"]["application/json"]["examples"]["sample"]["value"]
    assert example["type"] == "FollowUpLogged"
    assert "ErrorBody" in schema["components"]["schemas"]
    assert schema["paths"]["/api/cases/{ref}"]["get"]["responses"]["200"]["content"]


def test_a_case_read_with_an_overlong_reason_is_refused(moss: Api) -> None:
    response = moss.get(
        f"/api/cases/{CARETAKER_CASE}", as_="caseworker", headers={"X-Access-Reason": "x" * 201}
    )
    assert response.status_code == 422


def _assert_a_plain_500_with_the_security_headers(answer: Any, path: str) -> None:
    assert answer.status_code == 500, (path, answer.status_code, answer.text[:200])
    assert answer.json() == {
        "error": {
            "code": "internal_error",
            "message": "Noe gikk galt hos oss. Feilen er logget.",
            "details": [],
        }
    }
    assert "Traceback" not in answer.text and "janitor" not in answer.text
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_an_unexpected_error_answers_500_in_the_one_shape_with_the_security_headers(
    fresh_api: Callable[[], Api],
) -> None:
    """A real fault, no mock: a user row whose role the application does not know (written
    straight into the database) makes signing in with its token raise ValueError, which no
    handler maps, so Starlette's catch-all answers, outside the middleware."""
    api = fresh_api()
    sql = api.app.sql
    sql.execute(
        f"INSERT INTO {sql.table('users')}"
        " (name, role, team, created_at, token_id, token_hash) VALUES (?, ?, ?, ?, ?, ?)",
        ["ghost", "janitor", None, "2026-11-21T09:00:00+00:00", "ghost01", _digest("secret")],
    )
    client = TestClient(api.client.app, raise_server_exceptions=False)
    for path in ("/api/cases", f"/api/cases/{CARETAKER_CASE}", "/api/users"):
        answer = client.get(path, headers={"Authorization": "Bearer ghost01.secret"})
        _assert_a_plain_500_with_the_security_headers(answer, path)
        assert "strict-transport-security" not in answer.headers

    settings = api.services.settings.model_copy(update={"production": True})
    web = create_app(settings, application=api.app)
    production = TestClient(web, raise_server_exceptions=False)
    answer = production.get("/api/cases", headers={"Authorization": "Bearer ghost01.secret"})
    web.state.services.close()
    _assert_a_plain_500_with_the_security_headers(answer, "/api/cases")
    assert answer.headers["strict-transport-security"].startswith("max-age=63072000")


def test_a_dropped_read_model_table_answers_500_with_the_security_headers(
    fresh_api: Callable[[], Api],
) -> None:
    """A real fault on PostgreSQL: the waiting list's read-model table is gone (on SQLite the
    same fault is an OperationalError, answered 503 as a store that is away)."""
    api = fresh_api()
    if not api.app.sql.postgres:
        pytest.skip("PostgreSQL only: SQLite reports a missing table as an OperationalError")
    api.get("/api/waiting-list?as_of=2023-09-01", as_="caseworker")
    sql = api.app.sql
    sql.execute("SET lock_timeout = '10s'")
    sql.execute(f"DROP TABLE {sql.table('rm_waitlist_spans')}")
    client = TestClient(api.client.app, raise_server_exceptions=False)
    path = "/api/waiting-list?as_of=2023-09-01"
    answer = client.get(path, headers=api.headers("caseworker"))
    _assert_a_plain_500_with_the_security_headers(answer, path)
