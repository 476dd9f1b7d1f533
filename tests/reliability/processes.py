"""What runs in the writer and reader processes of the reliability tests.

Each process opens its own application, says it is ready (a file in a start directory), and
waits for the go file, so that every process starts writing at the same moment however long
the imports took. Every wait is bounded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.application import Boligspor, Refused
from domain.errors import StoreUnavailable
from tests.conftest import TODAY_NOW, make_settings

START_TIMEOUT = 120.0
RESUBMITS = 20  # a StoreUnavailable is retried with the same event ids, this many times at most


@dataclass
class Written:
    """What one writer process was told: ids stored, ids refused (with why), and its waits."""

    acknowledged: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    unavailable: int = 0  # StoreUnavailable answers, each retried with the same ids
    unresolved: list[str] = field(default_factory=list)  # still unavailable after RESUBMITS
    longest_submit: float = 0.0


def open_app(url: str) -> Boligspor:
    return Boligspor(make_settings(url), clock=lambda: TODAY_NOW)


def wait_for_go(start: Path, name: str) -> None:
    (start / f"ready-{name}").touch()
    deadline = time.monotonic() + START_TIMEOUT
    while not (start / "go").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the go signal never came")
        time.sleep(0.005)


def release(start: Path, processes: int) -> None:
    """Wait until every process is ready, then let them all go."""
    deadline = time.monotonic() + START_TIMEOUT
    while len(list(start.glob("ready-*"))) < processes:
        if time.monotonic() > deadline:
            raise TimeoutError("writer processes did not get ready")
        time.sleep(0.02)
    (start / "go").touch()


def delay_commits(app: Boligspor, seconds: float) -> None:
    """Hold every write transaction of this application open `seconds` after its inserts,
    with the events table's lock taken and the positions handed out, before it commits."""
    recorder: Any = app.recorder
    hook = "_fetch_ids_after_insert_events" if app.sql.postgres else "_insert_events"
    original = getattr(recorder, hook)

    def late(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    setattr(recorder, hook, late)


def write(
    url: str,
    name: str,
    start: str,
    submissions: list[list[dict[str, Any]]],
    commit_delay: float = 0.0,
) -> Written:
    """Submit each list of events in turn (one `submit` each), retrying StoreUnavailable."""
    app = open_app(url)
    if commit_delay:
        delay_commits(app, commit_delay)
    written = Written()
    wait_for_go(Path(start), name)
    for events in submissions:
        ids = [str(e["id"]) for e in events]
        for _ in range(RESUBMITS):
            began = time.monotonic()
            try:
                app.submit(list(enumerate(events, 1)))
            except StoreUnavailable:
                written.unavailable += 1
                continue
            except Refused as refused:
                written.refused.update({str(r.event_id): r.message for r in refused.refusals})
                break
            finally:
                written.longest_submit = max(written.longest_submit, time.monotonic() - began)
            written.acknowledged.extend(ids)
            break
        else:
            written.unresolved.extend(ids)
    app.close()
    return written
