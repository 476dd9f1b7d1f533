"""Writers in separate OS processes lose nothing, duplicate nothing and break no rule."""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from domain.case import case_id
from tests.reliability import events
from tests.reliability.conftest import RecordFigures, Scale, UrlFactory
from tests.reliability.ledger import reconcile
from tests.reliability.processes import Written, open_app, release, write

SPAWN = multiprocessing.get_context("spawn")
DWELLINGS = ("B-1", "B-2", "B-3")


def run_writers(
    url: str, start: Path, plans: dict[str, list[list[events.Event]]]
) -> tuple[dict[str, Written], float]:
    with ProcessPoolExecutor(len(plans), mp_context=SPAWN) as pool:
        futures = {
            name: pool.submit(write, url, name, str(start), plan) for name, plan in plans.items()
        }
        release(start, len(plans))
        began = time.monotonic()
        results = {name: future.result(timeout=600) for name, future in futures.items()}
    return results, time.monotonic() - began


@pytest.mark.slow
def test_sixteen_writer_processes_on_one_case_lose_duplicate_and_skip_no_version(
    fresh_urls: UrlFactory, scale: Scale, tmp_path: Path, record_figures: RecordFigures
) -> None:
    url = fresh_urls()
    app = open_app(url)
    app.submit([(1, events.opened("S-1", "c1"))])
    per_writer = scale.trials(25)
    plans = {
        f"w{w}": [[events.follow_up("S-1", f"w{w}-{i}")] for i in range(per_writer)]
        for w in range(16)
    }

    written, seconds = run_writers(url, tmp_path, plans)

    acknowledged = [i for w in written.values() for i in w.acknowledged]
    sent = [str(e["id"]) for plan in plans.values() for sub in plan for e in sub]
    figures = reconcile(app, acknowledged, sent, before=["c1"])
    case = app.get_case("S-1")
    history = [entry.event_id for entry in case.history]
    figures |= {
        "backend": "postgres" if app.sql.postgres else "sqlite",
        "writers": 16,
        "events_sent": len(sent),
        "unavailable_retried": sum(w.unavailable for w in written.values()),
        "unresolved": sum(len(w.unresolved) for w in written.values()),
        "case_version": case.version,
        "longest_submit_s": round(max(w.longest_submit for w in written.values()), 2),
        "seconds": round(seconds, 1),
    }
    record_figures(figures["backend"], figures)
    assert figures["lost"] == figures["duplicated"] == figures["unexpected"] == 0, figures
    assert figures["unresolved"] == 0 and not any(w.refused for w in written.values()), figures
    assert len(acknowledged) == len(sent)
    assert sorted(history[1:]) == sorted(acknowledged)
    assert case.version == 1 + len(acknowledged)
    assert set(app.lookup_ids(acknowledged).values()) == {case_id("S-1")}
    app.close()


@pytest.mark.slow
def test_ten_writer_processes_on_their_own_cases_racing_to_settle_never_share_a_dwelling(
    fresh_urls: UrlFactory, scale: Scale, tmp_path: Path, record_figures: RecordFigures
) -> None:
    url = fresh_urls()
    app = open_app(url)
    setup = [events.dwelling(ref, f"d-{ref}") for ref in DWELLINGS]
    setup += [events.opened(f"S-{w}", f"c{w}") for w in range(10)]
    app.submit(list(enumerate(setup, 1)))
    per_writer = scale.trials(25)
    settle_at = per_writer // 2
    plans: dict[str, list[list[events.Event]]] = {}
    for w in range(10):
        plan = [[events.follow_up(f"S-{w}", f"w{w}-{i}")] for i in range(per_writer)]
        plan[settle_at] = [events.settled(f"S-{w}", f"w{w}-{settle_at}", DWELLINGS[w % 3])]
        plans[f"w{w}"] = plan

    written, seconds = run_writers(url, tmp_path, plans)

    acknowledged = [i for w in written.values() for i in w.acknowledged]
    refused = {i: why for w in written.values() for i, why in w.refused.items()}
    sent = [str(e["id"]) for plan in plans.values() for sub in plan for e in sub]
    figures = reconcile(app, acknowledged, sent, before=[str(e["id"]) for e in setup])
    settled = Counter(
        DWELLINGS[int(i.split("-")[0][1:]) % 3] for i in acknowledged if i.endswith(f"-{settle_at}")
    )
    versions_match = all(
        app.get_case(f"S-{w}").version == 1 + len(written[f"w{w}"].acknowledged) for w in range(10)
    )
    occupants = {ref: app.get_dwelling(ref).occupancy for ref in DWELLINGS}  # type: ignore[union-attr]
    figures |= {
        "backend": "postgres" if app.sql.postgres else "sqlite",
        "writers": 10,
        "events_sent": len(sent),
        "refused": len(refused),
        "settled_per_dwelling": dict(sorted(settled.items())),
        "unavailable_retried": sum(w.unavailable for w in written.values()),
        "unresolved": sum(len(w.unresolved) for w in written.values()),
        "seconds": round(seconds, 1),
    }
    record_figures(figures["backend"], figures)
    assert figures["lost"] == figures["duplicated"] == figures["unexpected"] == 0, figures
    assert figures["unresolved"] == 0, figures
    assert set(refused) == {i for i in sent if i not in set(acknowledged)}
    assert all("holds" in why for why in refused.values()), refused
    assert settled == dict.fromkeys(DWELLINGS, 1), settled
    assert {ref: len(cases) for ref, cases in occupants.items()} == dict.fromkeys(DWELLINGS, 1)
    assert versions_match
    app.close()
