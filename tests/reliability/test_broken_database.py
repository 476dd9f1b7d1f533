"""A stuck or broken PostgreSQL: the API stalls no request for more than ~15 s and answers
only 2xx, 409, 422 or 503 with Retry-After; afterwards nothing is lost, duplicated or skipped
and the read models equal a rebuild.

A single writer against a held lock is tests/domain/test_stuck_database.py; here it is the
API with several requests at once.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest

from projections.db import ReadStore
from projections.runner import catch_up, rebuild
from settings import parse_database_url
from tests.conftest import TEST_POSTGRES_URL, drop_schema, require_postgres
from tests.reliability import events
from tests.reliability.conftest import RecordFigures, Scale
from tests.reliability.ledger import all_changes
from tests.reliability.postgres_server import terminate_sessions
from tests.reliability.processes import open_app
from tests.reliability.read_models import state
from tests.reliability.served import (
    ALLOWED,
    REPO,
    ApiLoad,
    check,
    process_environment,
    served_api,
    stop,
)
from tests.reliability.tailing import TailingReader, skipped

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
STALL_LIMIT = 15.0
CLIENTS = 4


@pytest.fixture
def postgres_url() -> tuple[str, str]:
    require_postgres()
    schema = f"t_rel_broken_{uuid.uuid4().hex[:8]}"
    yield f"{TEST_POSTGRES_URL}?schema={schema}", schema  # type: ignore[misc]
    drop_schema(schema)


def test_a_held_events_table_lock_stalls_no_api_request_beyond_fifteen_seconds(
    postgres_url: tuple[str, str], tmp_path: Path, record_figures: RecordFigures
) -> None:
    url, schema = postgres_url
    cases = [f"S-{n}" for n in range(CLIENTS)]
    answers: dict[str, tuple[int, float, bool]] = {}

    def post(client: httpx.Client, ref: str) -> None:
        began = time.monotonic()
        response = client.post("/api/events", json=events.follow_up(ref, f"held-{ref}"))
        stalled = time.monotonic() - began
        answers[ref] = (response.status_code, stalled, "retry-after" in response.headers)

    with served_api(url, tmp_path / "api.log", cases) as served:
        headers = {"Authorization": f"Bearer {served.token}"}
        with httpx.Client(base_url=served.base_url, headers=headers, timeout=120) as client:
            conninfo = parse_database_url(TEST_POSTGRES_URL).conninfo
            with psycopg.connect(conninfo) as holder:
                holder.execute(f"LOCK TABLE {schema}.boligspor_events IN EXCLUSIVE MODE")
                threads = [threading.Thread(target=post, args=(client, r)) for r in cases]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=120)
                holder.rollback()
            retried = {
                ref: client.post(
                    "/api/events", json=events.follow_up(ref, f"held-{ref}")
                ).status_code
                for ref in cases
            }
    app = open_app(url)
    copies = [str(c.event["id"]) for c in all_changes(app)]
    app.close()
    figures = {
        "requests": len(cases),
        "statuses": sorted(status for status, _, _ in answers.values()),
        "max_stall_s": round(max(stalled for _, stalled, _ in answers.values()), 1),
        "503_without_retry_after": sum(
            1 for status, _, after in answers.values() if status == 503 and not after
        ),
        "retried_statuses": sorted(retried.values()),
        "copies_after_retry": sorted(copies.count(f"held-{ref}") for ref in cases),
    }
    record_figures("postgres", figures)
    assert set(figures["statuses"]) == {503}, figures  # type: ignore[arg-type]
    assert figures["503_without_retry_after"] == 0, figures
    assert set(retried.values()) == {201} and figures["copies_after_retry"] == [1] * len(cases)
    assert figures["max_stall_s"] <= STALL_LIMIT, figures  # type: ignore[operator]


def test_database_sessions_terminated_every_half_second_break_no_invariant(
    postgres_url: tuple[str, str],
    scale: Scale,
    tmp_path: Path,
    record_figures: RecordFigures,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, _ = postgres_url
    name = f"boligspor-rel-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("PGAPPNAME", name)  # the tailing reader's sessions are terminated too
    seconds = scale.seconds(20, 60)
    terminated = rounds = 0
    with served_api(url, tmp_path / "api.log", ApiLoad.cases(CLIENTS), name) as served:
        with (tmp_path / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "cli.main", "worker"],
                cwd=REPO,
                env=process_environment(url, name),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        reader = TailingReader(url).start()
        load = ApiLoad(served, threads=CLIENTS, pause=0.02).start()
        try:
            ends = time.monotonic() + seconds
            while time.monotonic() < ends:
                terminated += terminate_sessions(name)
                rounds += 1
                time.sleep(0.5)
        finally:
            load.stop()
            stop(worker)
            reader.finish()
    figures = check(url, load)
    app = open_app(url)
    store = ReadStore.open(url)
    catch_up(app, store)
    resumed = state(store)
    rebuilt_store = ReadStore.open(f"{url}_rebuilt")
    rebuild(app, rebuilt_store)
    rebuilt = state(rebuilt_store)
    figures |= {
        "seconds": seconds,
        "termination_rounds": rounds,
        "sessions_terminated": terminated,
        "reader": skipped(reader.seen, all_changes(app)) | {"errors": reader.errors},
        "event_log_rows": resumed["counts"]["rm_event_log"],
        "read_models_equal_rebuild": resumed["rows"] == rebuilt["rows"]
        and resumed["status"] == rebuilt["status"]
        and resumed["annual"] == rebuilt["annual"],
        "worker_exit": worker.returncode,
    }
    positions = set(resumed["positions"].values())
    latest = app.max_position()
    store.close()
    rebuilt_store.close()
    drop_schema(f"{url.rsplit('=', 1)[1]}_rebuilt")
    app.close()
    record_figures("postgres", figures)
    assert figures["lost"] == figures["duplicated"] == figures["unexpected"] == 0, figures
    assert figures["unanswered"] == figures["refused"] == 0, figures
    assert figures["retried_not_exactly_one_copy"] == figures["versions_wrong"] == 0, figures
    assert figures["reader"]["skipped"] == figures["reader"]["seen_twice"] == 0, figures
    assert figures["read_models_equal_rebuild"], figures
    assert positions == {latest}, figures
    assert figures["503_without_retry_after"] == 0, figures
    assert set(load.statuses) <= ALLOWED, figures
