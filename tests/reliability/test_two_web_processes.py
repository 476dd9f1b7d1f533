"""Two `boligspor serve` processes over one PostgreSQL database, as behind a load balancer: a
web session started on one is valid on the other and survives a restart of both; a deactivation
through one is refused by the other on its next request; the login limit counts across both."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.access_log import AccessLog
from api.users import UserStore
from tests.conftest import TEST_POSTGRES_URL, TODAY_NOW, drop_schema, require_postgres
from tests.reliability.processes import open_app
from tests.reliability.served import REPO, free_port, process_environment, stop

pytestmark = pytest.mark.postgres


@pytest.fixture
def database() -> Iterator[str]:
    require_postgres()
    schema = f"t_web_{uuid.uuid4().hex[:10]}"
    yield f"{TEST_POSTGRES_URL}?schema={schema}"
    drop_schema(schema)


@contextlib.contextmanager
def serve(url: str, log: Path) -> Iterator[str]:
    """`boligspor serve` in its own process on a free loopback port; its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1"]
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=REPO,
            env=process_environment(url, f"boligspor-web-{port}"),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _up(base):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield base
    finally:
        stop(process)


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/api/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def sign_in(browser: httpx.Client, base: str, name: str, token: str) -> int:
    page = browser.get(f"{base}/app/logg-inn")
    answer = browser.post(
        f"{base}/app/logg-inn", data={"csrf": csrf_of(page.text), "name": name, "token": token}
    )
    return answer.status_code


def test_a_session_is_shared_by_two_servers_survives_their_restart_and_ends_on_deactivation(
    database: str, tmp_path: Path
) -> None:
    app = open_app(database)
    users = UserStore(app.sql)
    users.ensure_table()
    AccessLog(app.sql).ensure_table()
    kari = users.add("kari", "caseworker", None, now=TODAY_NOW)[1]
    anne = users.add("anne", "admin", None, now=TODAY_NOW)[1]
    app.close()
    log = tmp_path / "servers.log"
    browser = httpx.Client(follow_redirects=False, timeout=30)  # cookies are not per port

    with serve(database, log) as one, serve(database, log) as two:
        signed_in = sign_in(browser, one, "kari", kari)
        on_the_other = browser.get(f"{two}/app/mine").status_code
    with serve(database, log) as one, serve(database, log) as two:
        after_restart = [browser.get(f"{base}/app/mine").status_code for base in (one, two)]
        deactivated = httpx.post(
            f"{one}/api/users/kari/deactivate", headers={"Authorization": f"Bearer {anne}"}
        ).status_code
        page_there = browser.get(f"{two}/app/mine")
        api_there = httpx.get(f"{two}/api/cases", headers={"Authorization": f"Bearer {kari}"})

        limited = httpx.Client(follow_redirects=False, timeout=30)
        failures = [sign_in(limited, one, "anne", "wrong.token") for _ in range(5)]
        sixth_elsewhere = sign_in(limited, two, "anne", anne)

    assert signed_in == 303
    assert on_the_other == 200
    assert after_restart == [200, 200]
    assert deactivated == 204
    assert page_there.status_code == 303
    assert page_there.headers["location"] == "/app/logg-inn"
    assert api_there.status_code == 401
    assert failures == [401] * 5
    assert sixth_elsewhere == 429
