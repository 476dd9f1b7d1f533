"""`python -m bench --scale tiny|moss|country [--backend sqlite|postgres|both] [--quick]
[--only PART…]` (`--only pages`: each web page's server time, bench/pages.py).

Prints one line per figure and writes the same as JSON to bench/results/<scale>-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import data
from bench.backends import POSTGRES_CONNINFO, fresh
from bench.figures import Figure, write
from settings import scrub_library_environment

RESULTS = Path(__file__).resolve().parent / "results"
PARTS = ("import", "projection", "reports", "history", "http", "outcomes", "pages")


def _prefix_sizes(
    scale: str, total: int, quick: bool, chosen: list[int] | None = None
) -> tuple[int, int]:
    if chosen:
        return min(chosen), max(chosen)
    if scale == "country":
        return (20_000, 50_000) if quick else (50_000, 200_000)
    return total // 2, total


def _machine() -> dict[str, Any]:
    import psycopg

    try:
        with psycopg.connect(POSTGRES_CONNINFO, connect_timeout=3) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            postgres = str(row[0]) if row else "?"
    except psycopg.Error:
        postgres = "unreachable"
    memory_kib = 0
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024**2, 1),
        "postgresql": postgres,
        "python": platform.python_version(),
        "commit": commit,
        "loadavg_start": os.getloadavg(),
    }


def dataset(scale: str, folder: Path) -> tuple[Path, int]:
    """The scale's JSON Lines file, generated once per folder (same seed, same events)."""
    path = folder / f"{scale}.jsonl"
    count_file = folder / f"{scale}.count"
    if not path.exists() or not count_file.exists():
        started = time.perf_counter()
        count = data.write_scale(path, scale)
        count_file.write_text(str(count))
        print(f"# generated {count:,} events in {time.perf_counter() - started:.0f} s: {path}")
    return path, int(count_file.read_text())


def run_backend(
    backend: str, scale: str, path: Path, total: int, folder: Path, args: argparse.Namespace
) -> list[Figure]:
    from bench.http import http_figures
    from bench.importing import import_figures
    from bench.projecting import catch_up_figure
    from bench.reading import history_figures
    from domain.application import Boligspor

    quick, parts = args.quick, set(args.only)
    repeats = 20 if quick else 100
    small_n, large_n = _prefix_sizes(scale, total, quick, args.prefixes)
    small, large = path, path
    label = f"{scale} ({large_n:,} events)"
    note = ""
    if large_n < total:
        small, large = folder / f"{scale}-{small_n}.jsonl", folder / f"{scale}-{large_n}.jsonl"
        data.prefix_file(path, small, small_n)
        data.prefix_file(path, large, large_n)
        label = f"{scale} prefix ({large_n:,} of {total:,} events)"
        note = f"; a prefix: the whole file would take {total / large_n:.0f}× longer"
    else:
        small = folder / f"{scale}-{small_n}.jsonl"
        data.prefix_file(path, small, small_n)
    figures: list[Figure] = []

    def show(new: list[Figure]) -> None:
        for figure in new:
            print(figure.line(), flush=True)
        figures.extend(new)

    with fresh(backend, scale) as store:
        if "import" in parts or parts & {"projection", "history", "http", "pages"}:
            from bench.importing import run_import

            if "import" in parts:
                new, _ = import_figures(store, small, large, label, note)
                show(new)
            else:
                run_import(store, large)
        app = Boligspor(store.settings())
        try:
            if "projection" in parts:
                show([catch_up_figure(app, store.url, label)])
            if "history" in parts:
                show(history_figures(app, repeats))
        finally:
            app.close()
        if "http" in parts:
            show(http_figures(store, large, seconds=args.http_seconds or (4 if quick else 15)))
        if "pages" in parts:
            from bench.pages import page_figures

            show(page_figures(store, large, label, 10 if quick else 40))
    if "outcomes" in parts:
        from bench.outcomes import municipality_figures

        show(municipality_figures(backend, folder, repeats))
    if "reports" in parts:
        report_path, report_n = path, total
        if quick and scale == "country":
            report_n = 300_000
            report_path = folder / f"{scale}-{report_n}.jsonl"
            data.prefix_file(path, report_path, report_n)
        show(report_part(backend, scale, report_path, report_n, folder, repeats))
    return figures


def read_store_file(
    scale: str, path: Path, total: int, folder: Path
) -> tuple[Path, dict[str, Any]]:
    """A SQLite read store caught up with the file, built once per data folder (slow at
    country scale) and reused (one built before the report aggregates gets them counted);
    PostgreSQL gets a copy of its rows."""
    from bench.projecting import build_read_models
    from projections.db import ReadStore
    from projections.runner import ensure_schema

    built = folder / f"{scale}-{total}-read-models.sqlite"
    stats_file = built.with_suffix(".json")
    if not stats_file.exists():
        built.unlink(missing_ok=True)
        stats = build_read_models(f"sqlite:///{built}", path, total)
        stats["built"] = datetime.now(UTC).isoformat(timespec="seconds")
        stats_file.write_text(json.dumps(stats))
    store = ReadStore.open(f"sqlite:///{built}")
    try:
        ensure_schema(store)
    finally:
        store.close()
    return built, json.loads(stats_file.read_text())


def report_part(
    backend: str, scale: str, path: Path, total: int, folder: Path, repeats: int
) -> list[Figure]:
    from bench.projecting import copy_read_models
    from bench.reading import report_figures

    built, stats = read_store_file(scale, path, total, folder)
    what = f"{scale} ({stats['events']:,} events)"
    figures = []
    if backend == "sqlite":
        figures.append(
            Figure(
                f"sqlite read models from the JSONL file (catch_up, batches of 5,000), {what}",
                stats["events"] / stats["seconds"],
                "events/s",
                note=f"{stats['seconds']:.0f} s; first tenth {stats['first_tenth_per_s']:,.0f}/s,"
                f" last tenth {stats['last_tenth_per_s']:,.0f}/s; built {stats['built']}",
                extra=stats,
            )
        )
        url = f"sqlite:///{built}"
        return figures + report_figures(url, what, repeats) + country_outcomes(url, what, path)
    with fresh(backend, f"{scale}-reports") as store:
        started = time.perf_counter()
        rows = copy_read_models(built, store.url)
        figures.append(
            Figure(
                f"postgres read-model rows copied from the SQLite build, {what}",
                rows,
                "rows",
                note=f"{time.perf_counter() - started:.0f} s (COPY, then ANALYZE)",
            )
        )
        return (
            figures
            + report_figures(store.url, what, repeats)
            + country_outcomes(store.url, what, path)
        )

    return figures


def country_outcomes(url: str, what: str, path: Path) -> list[Figure]:
    """The outcome report of the last year the store's events reach, a few times (goal ≤ 2 s)."""
    from bench.outcomes import COUNTRY_GOAL_MS, last_year, outcome_figures

    return outcome_figures(url, what, 5, COUNTRY_GOAL_MS, year=last_year(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=tuple(data.SCALES), required=True)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, shorter loads")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--http-seconds", type=float, default=None)
    parser.add_argument(
        "--prefixes",
        type=int,
        nargs=2,
        default=None,
        metavar=("SMALL", "LARGE"),
        help="import these two prefixes of the file (country default: 50000 200000)",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=Path("/tmp/boligspor-bench"), help="generated files"
    )
    parser.add_argument("--out", type=Path, default=None, help="JSON file (default results/)")
    args = parser.parse_args(argv)
    scrub_library_environment()
    started = datetime.now(UTC)
    meta = _machine()
    meta.update(
        scale=args.scale,
        quick=args.quick,
        command="python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        started=started.isoformat(timespec="seconds"),
    )
    print(f"# {meta}")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    path, total = dataset(args.scale, args.data_dir)
    meta["events"] = total
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    figures: list[Figure] = []
    failures = []
    for backend in backends:
        try:
            figures += run_backend(backend, args.scale, path, total, args.data_dir, args)
        except Exception as error:
            failures.append(f"{backend}: {type(error).__name__}: {error}"[:2000])
            print(f"# {backend} FAILED: {failures[-1]}", flush=True)
    meta["failures"] = failures
    meta["seconds"] = round((datetime.now(UTC) - started).total_seconds())
    meta["loadavg_end"] = os.getloadavg()
    out = args.out or RESULTS / f"{args.scale}-{started:%Y%m%dT%H%M%S}.json"
    write(out, meta, figures)
    missed = [f.name for f in figures if f.met is False]
    print(f"# {len(figures)} figures, {len(missed)} goals missed; written to {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
