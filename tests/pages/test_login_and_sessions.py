"""Signing in to the pages: cookie sessions, CSRF on every form, production cookie rules."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from tests.pages.conftest import Moss, Pages, build_moss, csrf_of, pages_app


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(pages: Pages) -> None:
    answer = pages.client.get("/app/mine")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/app/logg-inn"


def test_the_login_page_is_norwegian_and_sets_an_httponly_strict_session_cookie(
    pages: Pages,
) -> None:
    answer = pages.client.get("/app/logg-inn")
    assert answer.status_code == 200
    assert '<html lang="nb">' in answer.text
    assert "Tilgangsnøkkel" in answer.text
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("boligspor=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Secure" not in cookie


def test_signing_in_with_name_and_token_opens_the_start_page_of_the_role(pages: Pages) -> None:
    pages.sign_in("hanne")
    assert pages.client.get("/app/").headers["location"] == "/app/mine"
    assert pages.client.get("/app/mine").status_code == 200


def test_a_leader_starts_on_the_figures(pages: Pages) -> None:
    pages.sign_in("leif")
    assert pages.client.get("/app/").headers["location"] == "/app/tall"


def test_signing_in_replaces_the_anonymous_session(pages: Pages) -> None:
    before = pages.client.get("/app/logg-inn").cookies["boligspor"]
    pages.sign_in("hanne")
    assert pages.client.cookies["boligspor"] != before


def test_a_wrong_token_or_another_users_token_does_not_sign_in(pages: Pages, moss: Moss) -> None:
    for name, token in (("hanne", "nope.nope"), ("hanne", moss.tokens["kari"])):
        page = pages.client.get("/app/logg-inn")
        answer = pages.client.post(
            "/app/logg-inn", data={"csrf": csrf_of(page.text), "name": name, "token": token}
        )
        assert answer.status_code == 401
        assert "Feil brukernavn eller tilgangsnøkkel." in answer.text
        assert pages.client.get("/app/mine").status_code == 303


def test_a_login_form_without_the_sessions_csrf_token_signs_no_one_in(
    pages: Pages, moss: Moss
) -> None:
    pages.client.get("/app/logg-inn")
    for token in ("", "forged"):
        answer = pages.client.post(
            "/app/logg-inn", data={"csrf": token, "name": "kari", "token": moss.tokens["kari"]}
        )
        assert answer.status_code == 403
        assert "Ingenting ble lagret" in answer.text
    assert pages.client.get("/app/mine").status_code == 303


def test_signing_out_needs_the_csrf_token_and_then_ends_the_session(pages: Pages) -> None:
    pages.sign_in("kari")
    assert pages.client.post("/app/logg-ut", data={"csrf": "forged"}).status_code == 403
    mine = pages.client.get("/app/mine")
    assert mine.status_code == 200
    answer = pages.client.post("/app/logg-ut", data={"csrf": csrf_of(mine.text)})
    assert answer.status_code == 303
    assert pages.client.get("/app/mine").status_code == 303


def test_pages_forbid_framing_and_caching(pages: Pages) -> None:
    answer = pages.sign_in("kari").client.get("/app/mine")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "no-store"


def test_in_production_the_cookie_is_secure_and_host_prefixed(tmp_path: Path) -> None:
    moss = build_moss(tmp_path, production=True)
    app: FastAPI = pages_app(moss)
    pages = Pages(app, moss, base_url="https://testserver")
    answer = pages.client.get("/app/logg-inn")
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("__Host-boligspor=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie
