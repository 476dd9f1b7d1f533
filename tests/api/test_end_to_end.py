"""A story over real HTTP: uvicorn on a free loopback port, an httpx client per role."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from tests.api.conftest import Api, build_api, close_api, new_database_url
from tests.conftest import drop_schema


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """An API over an empty database, served by uvicorn in a thread."""
    schemas: list[str] = []
    web, api = build_api(new_database_url(backend, tmp_path_factory.mktemp("e2e"), schemas))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(web, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    api.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
    yield api
    api.client.close()
    server.should_exit = True
    thread.join(timeout=10)
    close_api(api)
    for schema in schemas:
        drop_schema(schema)


def test_a_household_is_registered_followed_up_in_the_field_and_counted(
    served: Api, tmp_path: Path
) -> None:
    opened = served.post(
        "/api/events:batch",
        as_="caseworker",
        json=[
            {
                "id": "e1",
                "type": "DwellingRegistered",
                "dwelling": "B-1",
                "on": "2024-01-02",
                "category": "ordinary_municipal",
                "district": "ramberg",
                "rooms": 2,
            },
            {
                "id": "e2",
                "type": "CaseOpened",
                "case": "S-1",
                "on": "2024-01-10",
                "household": {"adults": 1, "children": 2},
                "group": "families",
                "situation": "friends_family",
                "person": {"name": "Kari Nordmann"},
            },
            {
                "id": "e3",
                "type": "Settled",
                "case": "S-1",
                "on": "2024-06-01",
                "tenure": "municipal_rental",
                "dwelling": "B-1",
                "lease_until": "2026-05-31",
            },
            {
                "id": "e4",
                "type": "FollowUpLogged",
                "case": "S-1",
                "on": "2024-06-02",
                "team": "caretaker",
                "kind": "home_visit",
                "minutes": 45,
            },
        ],
    )
    assert (opened.status_code, opened.json()) == (201, {"ids": ["e1", "e2", "e3", "e4"]})

    complaint = served.post(
        "/api/events",
        as_="field",
        json={
            "id": "f1",
            "type": "ComplaintReceived",
            "case": "S-1",
            "on": "2026-11-20",
            "complaint": "k1",
            "category": "noise",
            "source": "neighbour",
        },
    )
    assert complaint.status_code == 201

    case = served.get("/api/cases/S-1", as_="field").json()
    assert case["person"]["name"] == "Kari Nordmann"
    assert case["settlement"]["dwelling"] == "B-1" and case["teams"] == ["caretaker"]
    assert served.get("/api/cases/S-1", as_="housing_first").status_code == 403

    dwelling = served.get("/api/dwellings/B-1", as_="leader").json()
    assert dwelling["occupied"] is True
    report = served.get("/api/reports/status?as_of=2026-11-21", as_="leader").json()
    assert report["dwellings"]["occupied"] == 1
    assert report["leases_expiring_90_days"] == 0
    assert served.get("/api/cases/S-1", as_="leader").status_code == 403

    annual = served.get("/api/reports/annual?year=2026", as_="leader").json()
    assert annual["complaints"]["by_district"]["ramberg"] == 1

    health = served.get("/api/health", as_=None).json()
    assert health["status"] == "ok" and set(health["read_model_lag"].values()) == {0}

    log = served.get("/api/cases/S-1/access-log", as_="caseworker").json()
    assert [e["user"] for e in log] == ["ola"]
