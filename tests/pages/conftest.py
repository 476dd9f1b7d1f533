"""Fixtures of the web pages' tests: the Moss sample in a SQLite store, users of every role,
the API app with the pages mounted, signed-in page clients, and (for the browser tests) the app
served by uvicorn on a free port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.pages import mount_pages
from api.users import UserStore
from domain.application import Boligspor
from settings import Settings
from tests.conftest import TODAY_NOW, make_settings, sample_lines

# Where the browser tests look for Chromium, in order: BOLIGSPOR_CHROMIUM, Debian's package,
# then the usual names on the PATH. Never a browser Playwright downloads.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# name -> (role, team)
USERS: dict[str, tuple[str, str | None]] = {
    "hanne": ("field", "housing_first"),
    "ola": ("field", "caretaker"),
    "kari": ("caseworker", None),
    "leif": ("leader", None),
    "anne": ("admin", None),
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Debian's Chromium with Playwright (CI installs chromium)"
    )


@dataclass
class Moss:
    """The Moss sample in a SQLite store, with a token per user."""

    settings: Settings
    service: Boligspor
    tokens: dict[str, str] = field(default_factory=dict)


def build_moss(folder: Path, *, production: bool = False) -> Moss:
    settings = make_settings(f"sqlite:///{folder / 'moss.sqlite'}")
    if production:
        settings = settings.model_copy(update={"production": True})
    service = Boligspor(settings, clock=lambda: TODAY_NOW)
    service.submit(sample_lines("moss-2023.jsonl"))
    users = UserStore(service.sql)
    users.ensure_table()
    moss = Moss(settings, service)
    for name, (role, team) in USERS.items():
        moss.tokens[name] = users.add(name, role, team, now=TODAY_NOW)[1]
    return moss


def pages_app(moss: Moss) -> FastAPI:
    app = create_app(moss.settings, application=moss.service)
    mount_pages(app)
    return app


@pytest.fixture(scope="session")
def moss(tmp_path_factory: pytest.TempPathFactory) -> Moss:
    return build_moss(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="session")
def app(moss: Moss) -> FastAPI:
    return pages_app(moss)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


class Pages:
    """A browser-like client of the pages: cookies kept, forms posted with the page's token."""

    def __init__(self, app: FastAPI, moss: Moss, base_url: str = "http://testserver") -> None:
        self.client = TestClient(app, base_url=base_url, follow_redirects=False)
        self.moss = moss

    def sign_in(self, name: str) -> Pages:
        login = self.client.get("/app/logg-inn")
        answer = self.client.post(
            "/app/logg-inn",
            data={"csrf": csrf_of(login.text), "name": name, "token": self.moss.tokens[name]},
        )
        assert answer.status_code == 303, answer.text
        return self

    def form_values(self, html: str, action: str) -> dict[str, str]:
        """The hidden fields of the form posting to `action` on a page."""
        start = html.index(f'action="{action}"')
        form = html[start : html.index("</form>", start)]
        return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))


@pytest.fixture
def pages(app: FastAPI, moss: Moss) -> Pages:
    return Pages(app, moss)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Moss]]:
    """The app with the Moss sample served by uvicorn on a free 127.0.0.1 port."""
    moss = build_moss(tmp_path_factory.mktemp("live"))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(pages_app(moss), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", moss
    server.should_exit = True
    thread.join(timeout=10)


def find_chromium() -> tuple[str | None, str]:
    """The Chromium executable to drive, or None and what was looked for."""
    named = os.environ.get("BOLIGSPOR_CHROMIUM")
    if named:
        found = shutil.which(named)
        return found, f"BOLIGSPOR_CHROMIUM={named} is not an executable"
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM, ""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found, ""
    return None, (
        f"no Chromium found: not {CHROMIUM}, none of {', '.join(CHROMIUM_NAMES)} on the PATH"
        " (apt-get install -y chromium, or name one in BOLIGSPOR_CHROMIUM)"
    )


def require_chromium() -> str:
    """The Chromium to drive; FAILS the test when there is none, unless BOLIGSPOR_SKIP_BROWSER=1
    says to skip the browser tests (then they are skipped, and the summary says why)."""
    executable, reason = find_chromium()
    if executable is not None:
        return executable
    if os.environ.get("BOLIGSPOR_SKIP_BROWSER") == "1":
        pytest.skip(f"SKIPPING BROWSER TESTS: {reason}; BOLIGSPOR_SKIP_BROWSER=1 is set")
    pytest.fail(f"{reason}. Install it, or set BOLIGSPOR_SKIP_BROWSER=1 to skip these tests.")


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless, launched by Playwright (never a downloaded browser)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def every_page(client: TestClient, path: str) -> str:
    """A paged list's pages one after the other (`?side=N` until no «Neste side»), as one text."""
    pages: list[str] = []
    joiner = "&" if "?" in path else "?"
    for side in range(1, 1000):
        text = client.get(f"{path}{joiner}side={side}").text
        pages.append(text)
        if 'rel="next"' not in text:
            break
    return "\n".join(pages)
