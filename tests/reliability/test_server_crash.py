"""kill -9 of the PostgreSQL postmaster under API write load: after the restart no
acknowledged event is lost or stored twice, and every event whose answer was lost, sent again
with the same id, is stored exactly once.

Every kill of the shared server is in this module, and each is followed at once by a restart.
"""

from __future__ import annotations

import random
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import TEST_POSTGRES_URL, drop_schema, require_postgres
from tests.reliability.conftest import RecordFigures, Scale
from tests.reliability.postgres_server import (
    Crash,
    can_kill_the_server,
    crash_and_restart,
    restarted_afterwards,
)
from tests.reliability.served import ApiLoad, check, served_api

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
CLIENTS = 4


def wait_for_progress(load: ApiLoad, more: int, timeout: float = 60.0) -> None:
    target = load.acknowledged() + more
    deadline = time.monotonic() + timeout
    while load.acknowledged() < target:
        assert time.monotonic() < deadline, "the API stopped storing events"
        time.sleep(0.02)


def test_kill_9_of_postgresql_under_api_writes_loses_and_duplicates_no_event(
    scale: Scale, tmp_path: Path, record_figures: RecordFigures
) -> None:
    problem = can_kill_the_server()
    if problem is not None:
        pytest.skip(problem)
    require_postgres()
    url = f"{TEST_POSTGRES_URL}?schema=t_rel_crash_{uuid.uuid4().hex[:8]}"
    trials = scale.trials(9)
    crashes: list[Crash] = []
    rng = random.Random()
    try:
        with (
            restarted_afterwards(),
            served_api(url, tmp_path / "api.log", ApiLoad.cases(CLIENTS)) as served,
        ):
            load = ApiLoad(served, threads=CLIENTS).start()
            try:
                for _ in range(trials):
                    wait_for_progress(load, 10)
                    time.sleep(rng.uniform(0, 0.3))
                    crashes.append(crash_and_restart())
                wait_for_progress(load, 10)
            finally:
                load.stop()
        figures = check(url, load)
    finally:
        with restarted_afterwards():
            drop_schema(url.rsplit("=", 1)[1])
    figures |= {
        "trials": len(crashes),
        "longest_downtime_s": round(max(c.downtime for c in crashes), 1),
        "orphaned_backends_killed": sum(c.orphans_killed for c in crashes),
        "clients": CLIENTS,
    }
    record_figures("postgres", figures)
    assert figures["lost"] == figures["duplicated"] == figures["unexpected"] == 0, figures
    assert figures["unanswered"] == figures["refused"] == 0, figures
    assert figures["retried_not_exactly_one_copy"] == figures["versions_wrong"] == 0, figures
    assert set(load.statuses) <= {201, 503, "ReadError", "RemoteProtocolError"}, figures
    assert figures["503_without_retry_after"] == 0, figures
