"""Profile one figure's code path with pyinstrument on a moss-sized SQLite or PostgreSQL store.

    python -m bench.profile import|catch-up|http-request|history [--backend sqlite|postgres]

Prints pyinstrument's text report (the call tree, slowest first) to stdout.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pyinstrument import Profiler

from bench import data
from bench.backends import Store, fresh
from bench.http import bodies, open_cases
from bench.reading import LONG_CASE
from domain.application import Boligspor
from settings import scrub_library_environment


def _lines(path: Path) -> list[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        return [(n, line) for n, line in enumerate(handle, 1) if line.strip()]


def profiled(action: Callable[[], object]) -> str:
    profiler = Profiler(interval=0.0005)
    profiler.start()
    action()
    profiler.stop()
    text: str = profiler.output_text(unicode=True, color=False, show_all=False)
    return text


def run(target: str, store: Store, path: Path, folder: Path) -> str:
    app = Boligspor(store.settings())
    lines = _lines(path)
    if target == "import":
        return profiled(lambda: app.submit(lines))
    app.submit(lines)
    if target == "catch-up":
        from projections.db import ReadStore
        from projections.runner import catch_up

        read_store = ReadStore.open(store.url)
        return profiled(lambda: catch_up(app, read_store))
    if target == "history":
        app.submit(list(enumerate(data.long_case(LONG_CASE, 1000), 1)))
        return profiled(lambda: [app.case_history(LONG_CASE) for _ in range(20)])
    from api.services import build_services
    from api.users import UserStore
    from api.writing import submit_one

    users = UserStore(app.sql)
    users.ensure_table()
    user, _ = users.add("bench.profiler", "caseworker", None, now=datetime.now(UTC))
    services = build_services(store.settings(), app)
    body_file = bodies(open_cases(path), 300, folder, "profile")
    requests = body_file.read_text(encoding="utf-8").splitlines()
    return profiled(lambda: [submit_one(services, user, body) for body in requests])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("target", choices=("import", "catch-up", "http-request", "history"))
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/boligspor-bench"))
    args = parser.parse_args()
    scrub_library_environment()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    path = args.data_dir / "moss.jsonl"
    if not path.exists():
        data.write_scale(path, "moss")
    with fresh(args.backend, "profile") as store:
        print(run(args.target, store, path, args.data_dir))


if __name__ == "__main__":
    main()
