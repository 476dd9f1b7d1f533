"""The waiting-list page of the largest municipality of the country data (issue 13 goal 6):
`python -m bench.waiting_list_page [--backend sqlite|postgres|both] [--repeats N]`.

The largest municipality of `--scale country` (6 × Moss, the same seed and refs as in the
country file) is generated alone, imported into a fresh store and its read models caught up;
then a signed-in case worker asks for `/app/venteliste` on the data's last day (the first page:
200 households with their names, the view written to the access log) again and again, in the
process (FastAPI's TestClient: the application's whole work, no network). Goal: p95 ≤ 150 ms.

The baseline, in the same run on the same store: the same members as the API's list of case
refs without names, `GET /api/waiting-list` (what the list was before names). Also measured:
the list filtered by one priority, and the whole list's xlsx for the allocation meeting.
Results go to bench/results/waiting-list-page-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench.backends import Store, fresh
from bench.data import SCALES, TODAY, municipality_events, sizes
from bench.figures import Figure, percentile, write
from settings import scrub_library_environment

RESULTS = Path(__file__).resolve().parent / "results"
GOAL_MS = 150.0
CASE_WORKER = "bench-saksbehandler"


def largest_municipality() -> list[dict[str, Any]]:
    """The country data's largest municipality, exactly as `write_scale` makes it (index 0)."""
    size = sizes(SCALES["country"])[0]
    return municipality_events(101, size, 2023, TODAY)


def timed(action: Callable[[], Any], repeats: int, warm: int = 3) -> list[float]:
    for _ in range(warm):
        action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _p(samples: list[float], share: float) -> float:
    return percentile(samples, share)


def measure(store: Store, events: list[dict[str, Any]], repeats: int) -> list[Figure]:
    from api.app import create_app, settle_heap
    from api.users import UserStore
    from domain.application import Boligspor

    backend = store.backend
    app = Boligspor(store.settings())
    started = time.perf_counter()
    lines = [(n, json.dumps(e, ensure_ascii=False)) for n, e in enumerate(events, 1)]
    app.import_lines(lines, default_by="bench")
    imported_s = time.perf_counter() - started
    users = UserStore(app.sql)
    users.ensure_table()
    token = users.add(CASE_WORKER, "caseworker", None, now=datetime.now(UTC))[1]
    web = create_app(store.settings(), application=app)
    settle_heap()  # as a server process does (api.app.server_app)
    client = TestClient(web, base_url="https://testserver", follow_redirects=False)
    login = client.get("/app/logg-inn")
    csrf = re.search(r'name="csrf" value="([^"]+)"', login.text)
    assert csrf is not None
    answer = client.post(
        "/app/logg-inn", data={"csrf": csrf.group(1), "name": CASE_WORKER, "token": token}
    )
    assert answer.status_code == 303, answer.text[:300]
    day = TODAY.isoformat()
    started = time.perf_counter()
    first = client.get(f"/app/venteliste?dato={day}")
    catch_up_s = time.perf_counter() - started
    assert first.status_code == 200, first.text[:300]
    rows = first.text.count("<tr data-case=")
    members = client.get(
        f"/api/waiting-list?as_of={day}", headers={"Authorization": f"Bearer {token}"}
    ).json()["total"]

    def page() -> None:
        assert client.get(f"/app/venteliste?dato={day}").status_code == 200

    def urgent() -> None:
        assert client.get(f"/app/venteliste?dato={day}&prioritet=urgent").status_code == 200

    def baseline() -> None:
        answer = client.get(
            f"/api/waiting-list?as_of={day}", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200

    def download() -> None:
        assert client.get(f"/app/venteliste.xlsx?dato={day}").status_code == 200

    base = timed(baseline, repeats)
    shown = timed(page, repeats)
    filtered = timed(urgent, max(10, repeats // 2))
    files = timed(download, max(5, repeats // 10), warm=1)
    app.close()
    what = f"{len(events):,} events, {members:,} on the list, {rows} shown"
    p95, base_p95 = _p(shown, 0.95), _p(base, 0.95)
    extra = {"samples": len(shown), "p50_ms": _p(shown, 0.5), "p99_ms": _p(shown, 0.99)}
    return [
        Figure(
            f"{backend} waiting-list page (/app/venteliste, names, logged), largest"
            f" municipality ({what}) p95",
            p95,
            "ms",
            baseline=base_p95,
            goal=f"p95 ≤ {GOAL_MS:g} ms",
            met=p95 <= GOAL_MS,
            note=f"baseline: GET /api/waiting-list (case refs, no names) p95; import"
            f" {imported_s:.0f} s, first view (catch-up) {catch_up_s:.1f} s",
            extra=extra,
        ),
        Figure(f"{backend} waiting-list page p50", _p(shown, 0.5), "ms", baseline=_p(base, 0.5)),
        Figure(f"{backend} waiting-list page, urgent only, p95", _p(filtered, 0.95), "ms"),
        Figure(
            f"{backend} waiting-list xlsx, every household ({members:,}), p50",
            _p(files, 0.5),
            "ms",
            extra={"samples": len(files)},
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.waiting_list_page", description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    scrub_library_environment()
    started = datetime.now(UTC)
    events = largest_municipality()
    meta = {
        "command": "python -m bench.waiting_list_page "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "started": started.isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "events": len(events),
    }
    figures: list[Figure] = []
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    for backend in backends:
        with fresh(backend, "waiting") as store:
            for figure in measure(store, events, args.repeats):
                print(figure.line(), flush=True)
                figures.append(figure)
    meta["loadavg_end"] = os.getloadavg()
    meta["seconds"] = round((datetime.now(UTC) - started).total_seconds())
    out = args.out or RESULTS / f"waiting-list-page-{started:%Y%m%dT%H%M%S}.json"
    write(out, meta, figures)
    print(f"# written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
