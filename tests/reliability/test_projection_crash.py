"""A catch-up killed with SIGKILL at random points resumes to read models equal to a rebuild
from scratch, with no event applied twice; two catch-ups racing apply each change once."""

from __future__ import annotations

import random
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest

from domain.application import Boligspor
from domain.changes import Change
from projections.db import ReadStore
from projections.runner import catch_up, ensure_schema, rebuild, tracked_positions
from tests.conftest import sample_lines
from tests.reliability import events
from tests.reliability.conftest import RecordFigures, Scale, UrlFactory
from tests.reliability.ledger import all_changes
from tests.reliability.processes import open_app
from tests.reliability.read_models import state
from tests.reliability.served import REPO, process_environment

SAMPLE = "moss-2023.jsonl"
# Three ways the read models are kept current, each killed in turn.
RUNNERS = {
    "catch-up in batches of 25": ["-m", "tests.reliability.catch_up_process", "25"],
    "boligspor projections catch-up": ["-m", "cli.main", "projections", "catch-up"],
    "boligspor worker --once": ["-m", "cli.main", "worker", "--once", "keep-read-models-current"],
}


def tracked(store: ReadStore) -> int:
    with store.reading() as tx:
        return min(tracked_positions(tx).values(), default=0)


def kill_at_random(url: str, runner: list[str], delay: float, after_batches: int = 0) -> str:
    """Start a catch-up process and SIGKILL it: for the batch runner, `delay` seconds after its
    `after_batches`-th committed batch (so the kill lands inside its work); for the others,
    `delay` seconds after the start."""
    env = process_environment(url, f"boligspor-rel-{uuid.uuid4().hex[:8]}")
    process = subprocess.Popen(
        [sys.executable, *runner],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        if runner[1] == "tests.reliability.catch_up_process":
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
            for _ in range(after_batches):
                if process.stdout.readline().strip() != "batch":
                    break
        time.sleep(delay)
        process.kill()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    return "finished" if process.returncode == 0 else "killed"


@pytest.mark.slow
def test_catch_ups_killed_at_random_points_resume_to_the_same_read_models_as_a_rebuild(
    fresh_urls: UrlFactory, scale: Scale, record_figures: RecordFigures
) -> None:
    url = fresh_urls()
    app = open_app(url)
    lines = sample_lines(SAMPLE)
    trials = scale.trials(21)
    # The whole sample is stored first: 433 batches of 25 for the killed catch-ups to work
    # through. Each batch-runner trial is killed after 1-20 committed batches (plus up to
    # 20 ms, to land inside the next one); the CLI runners are killed after a random delay.
    app.submit(lines)
    store = ReadStore.open(url)
    ensure_schema(store)
    rng = random.Random()
    where: Counter[str] = Counter()
    plan = [("catch-up in batches of 25", True)] * trials + [
        (name, False) for name in RUNNERS if name != "catch-up in batches of 25"
    ]
    for name, measured in plan:
        before = tracked(store)
        if measured:
            ended = kill_at_random(
                url, RUNNERS[name], rng.uniform(0, 0.02), after_batches=rng.randint(1, 20)
            )
        else:
            ended = kill_at_random(url, RUNNERS[name], rng.uniform(0.8, 1.6))
        after, latest = tracked(store), app.max_position()
        where[
            "finished before the kill"
            if ended == "finished" or after == latest
            else "killed before its first commit"
            if after == before
            else "killed between batches or inside one"
        ] += 1
    catch_up(app, store)
    resumed = state(store)
    rebuilt_store = ReadStore.open(fresh_urls())
    rebuild(app, rebuilt_store)
    rebuilt = state(rebuilt_store)
    stored = all_changes(app)
    figures = {
        "backend": "postgres" if app.sql.postgres else "sqlite",
        "trials": trials,
        "events": len(stored),
        "kills": dict(where),
        "event_log_rows": resumed["counts"]["rm_event_log"],
        "tracked_positions": sorted(set(resumed["positions"].values())),
        "max_position": app.max_position(),
        "tables_differing_from_rebuild": sorted(
            name for name in resumed["rows"] if resumed["rows"][name] != rebuilt["rows"][name]
        ),
    }
    record_figures(str(figures["backend"]), figures)
    assert resumed["counts"]["rm_event_log"] == len(stored), figures
    assert set(resumed["positions"].values()) == {app.max_position()}, figures
    assert figures["tables_differing_from_rebuild"] == [], figures
    assert resumed["counts"] == rebuilt["counts"]
    assert resumed["status"] == rebuilt["status"]
    assert resumed["annual"] == rebuilt["annual"]
    store.close()
    rebuilt_store.close()
    app.close()


class OvertakenSource:
    """The event store as seen by a catch-up that another process overtakes: just before its
    first read, the other catch-up applies everything."""

    def __init__(self, app: Boligspor, other: ReadStore) -> None:
        self.app = app
        self.other = other
        self.overtaken = False

    def read_changes(self, after: int, limit: int) -> tuple[list[Change], int]:
        if not self.overtaken:
            self.overtaken = True
            catch_up(self.app, self.other)
        return self.app.read_changes(after, limit)

    def max_position(self) -> int:
        return self.app.max_position()


def test_a_catch_up_overtaken_by_another_applies_nothing_twice_and_does_not_fail(
    fresh_urls: UrlFactory,
) -> None:
    """Two API threads (or the API and the worker) catching up at once: the slower one finds
    every change already applied. On PostgreSQL it sends `... WHERE name IN ()`."""
    url = fresh_urls()
    app = open_app(url)
    app.submit([(1, events.opened("S-1", "c1")), (2, events.follow_up("S-1", "f1"))])
    mine, theirs = ReadStore.open(url), ReadStore.open(url)

    applied = catch_up(OvertakenSource(app, theirs), mine)

    assert applied == 0
    after = state(mine)
    assert after["counts"]["rm_event_log"] == 2
    assert set(after["positions"].values()) == {app.max_position()}
    mine.close()
    theirs.close()
    app.close()
