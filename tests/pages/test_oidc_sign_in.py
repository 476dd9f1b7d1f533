"""Sign-in through an OpenID Connect provider: the real oidc-provider-mock server on loopback
(at `localhost`, while Boligspor is at `127.0.0.1`: another site, as the municipality's
provider is), the authorization code flow with PKCE, and the refusal of a person who has no
Boligspor user."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import httpx
import oidc_provider_mock
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.users import SYSTEM, UserStore
from tests.pages.conftest import Moss, build_moss, free_port, require_chromium

CONTACT = "Boligkontoret, boligspor@moss.kommune.no"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A real OpenID provider; its users are set with PUT /users/{sub}. Its own log (it logs
    the claims it issues) is the provider's, not Boligspor's: kept out of the run's logs that
    tests/api/test_logs.py checks for personal data."""
    provider_log = logging.getLogger("oidc_provider_mock")
    provider_log.propagate = False
    try:
        with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
            yield f"http://localhost:{server.server_port}"
    finally:
        provider_log.propagate = True


def person(provider: str, sub: str, **claims: Any) -> str:
    answer = httpx.put(f"{provider}/users/{quote(sub)}", json=claims)
    assert answer.status_code == 204
    return sub


def oidc_app(moss: Moss, provider: str, redirect_uri: str | None = None) -> FastAPI:
    settings = moss.settings.model_copy(
        update={
            "oidc_issuer": provider,
            "oidc_client_id": "boligspor",
            "oidc_client_secret": "s3cret-of-the-client",
            "oidc_user_claim": "preferred_username",
            "oidc_redirect_uri": redirect_uri,
            "access_contact": CONTACT,
        }
    )
    return create_app(settings, application=moss.service)


@pytest.fixture(scope="module")
def moss_users(tmp_path_factory: pytest.TempPathFactory) -> Moss:
    return build_moss(tmp_path_factory.mktemp("oidc"))


@pytest.fixture
def client(moss_users: Moss, provider: str) -> TestClient:
    return TestClient(oidc_app(moss_users, provider), follow_redirects=False)


def authorize_at_provider(client: TestClient, sub: str) -> tuple[httpx.Response, str]:
    """Start at Boligspor, consent at the provider as `sub`; the provider's redirect back."""
    start = client.get("/app/logg-inn/kommune")
    assert start.status_code == 303
    authorization = start.headers["location"]
    consent = httpx.post(authorization, data={"sub": sub})
    assert consent.status_code == 302, consent.text
    return start, consent.headers["location"]


def test_the_login_page_offers_the_municipalitys_sign_in(client: TestClient) -> None:
    page = client.get("/app/logg-inn")
    assert 'href="/app/logg-inn/kommune"' in page.text
    assert "Logg inn med kommunens pålogging" in page.text


def test_a_person_the_provider_vouches_for_gets_a_session_of_the_matching_user(
    client: TestClient, provider: str
) -> None:
    sub = person(provider, "a1b2-kari", preferred_username="Kari", name="Kari Tilbydersen")
    _, back = authorize_at_provider(client, sub)
    assert back.startswith("http://testserver/app/logg-inn/kommune/svar?")

    arrived = client.get(back)

    assert arrived.status_code == 200, arrived.text
    assert 'http-equiv="refresh" content="0; url=/app/mine"' in arrived.text
    mine = client.get("/app/mine")
    assert mine.status_code == 200
    assert "kari" in mine.text
    assert "Tilbydersen" not in mine.text  # the provider's name claim is neither kept nor shown


def test_a_person_without_a_boligspor_user_is_refused_with_whom_to_ask(
    client: TestClient, provider: str
) -> None:
    sub = person(provider, "z9-ukjent", preferred_username="ukjent.person")
    _, back = authorize_at_provider(client, sub)

    refused = client.get(back)

    assert refused.status_code == 403
    assert "har ingen aktiv bruker i Boligspor" in refused.text
    assert CONTACT in refused.text
    assert client.get("/app/mine").status_code == 303  # still not signed in


def test_a_person_whose_user_is_deactivated_is_refused_like_one_without_a_user(
    client: TestClient, provider: str, moss_users: Moss
) -> None:
    users = UserStore(moss_users.service.sql)
    now = datetime.now(UTC)
    users.add("gone.worker", "caseworker", None, now=now)
    users.deactivate("gone.worker", now=now, by=SYSTEM)
    sub = person(provider, "d4-gone", preferred_username="gone.worker")
    _, back = authorize_at_provider(client, sub)

    refused = client.get(back)

    assert refused.status_code == 403
    assert "har ingen aktiv bruker i Boligspor" in refused.text
    assert client.get("/app/mine").status_code == 303  # not signed in


def test_the_authorization_request_carries_a_pkce_challenge_and_a_nonce(
    client: TestClient,
) -> None:
    start = client.get("/app/logg-inn/kommune")
    query = parse_qs(urlparse(start.headers["location"]).query)
    sealed = start.cookies["boligspor-oidc"].strip('"')
    pending = json.loads(base64.urlsafe_b64decode(sealed.partition(".")[0]))

    assert query["code_challenge_method"] == ["S256"]
    digest = hashlib.sha256(pending["verifier"].encode()).digest()
    assert query["code_challenge"] == [base64.urlsafe_b64encode(digest).rstrip(b"=").decode()]
    assert query["nonce"] == [pending["nonce"]]
    assert query["state"] == [pending["state"]]
    assert query["response_type"] == ["code"]


def test_a_callback_with_another_state_or_without_the_pending_cookie_is_refused(
    client: TestClient, provider: str, moss_users: Moss
) -> None:
    sub = person(provider, "a1b2-leif", preferred_username="leif")
    _, back = authorize_at_provider(client, sub)
    forged = back.replace("state=", "state=x")
    assert client.get(forged).status_code == 400

    stranger = TestClient(oidc_app(moss_users, provider), follow_redirects=False)
    _, back = authorize_at_provider(client, sub)
    assert stranger.get(back).status_code == 400  # no pending sign-in in that browser
    assert stranger.get("/app/mine").status_code == 303


def test_a_tampered_pending_cookie_is_refused(client: TestClient, provider: str) -> None:
    sub = person(provider, "a1b2-anne", preferred_username="anne")
    start, back = authorize_at_provider(client, sub)
    sealed = start.cookies["boligspor-oidc"].strip('"')
    body, _, signature = sealed.partition(".")
    pending = json.loads(base64.urlsafe_b64decode(body))
    pending["nonce"] = "chosen-by-an-attacker"
    forged = base64.urlsafe_b64encode(json.dumps(pending).encode()).decode()
    client.cookies.clear()
    client.cookies.set("boligspor-oidc", f"{forged}.{signature}")
    assert client.get(back).status_code == 400
    client.cookies.set("boligspor-oidc", sealed)
    assert client.get(back).status_code == 200  # the same answer with the cookie as it was


# --- end to end in Debian's Chromium ---------------------------------------------------------


@pytest.fixture(scope="module")
def served(moss_users: Moss, provider: str) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = oidc_app(moss_users, provider, redirect_uri=f"{base}/app/logg-inn/kommune/svar")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_signing_in_through_the_provider_in_chromium_lands_on_the_start_page(
    served: str, provider: str, chromium: Any, tmp_path: Path
) -> None:
    require_chromium()
    person(provider, "c3-hanne", preferred_username="hanne")
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(f"{served}/app/logg-inn")
        page.click("#oidc-login")
        page.wait_for_url(f"{provider}/oauth2/authorize*")
        page.fill("input[name=sub]", "c3-hanne")
        page.click("button[type=submit]:not([name])")
        page.wait_for_url(f"{served}/app/mine", timeout=15_000)
        assert "hanne" in page.inner_text("header")
        cookies = {c["name"]: c for c in context.cookies(served)}
        assert cookies["boligspor"]["sameSite"] == "Strict"
        assert "boligspor-oidc" not in cookies
    finally:
        page.screenshot(path=str(tmp_path / "oidc.png"))
        context.close()
