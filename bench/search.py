"""`python -m bench.search --scale moss|country [--backend sqlite|postgres|both]`: the search
of issue 13 (goal: p99 ≤ 50 ms) by a part of a name, a national id and a dwelling's address,
as a case worker runs it (`api.case_search.search_cases`: the keyed index, the read models,
the access log entry), on a store with the scale's events imported and its read models caught
up; the country scale takes a prefix of its file (`--events`, default 200,000).

On PostgreSQL the store is vacuumed and analysed after the import, as autovacuum does to a
store in use (without it the index of the search holds no visibility map: 3x the time).

The baseline, measured in the same run on the same store: the first page of the case worker's
case list (`GET /api/cases` without a search), the page a search narrows.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.app import settle_heap
from api.case_search import found_cases, search_cases
from api.case_summaries import list_cases
from api.services import Services, build_services
from api.users import Role, User
from bench.__main__ import dataset
from bench.backends import Store, fresh
from bench.data import prefix_file
from bench.figures import Figure, latencies, percentile, write
from bench.importing import run_import
from domain.search_index import fold, words
from projections.cases_on_day import CaseQuery
from settings import scrub_library_environment

GOAL_MS = 50.0
RESULTS = Path(__file__).resolve().parent / "results"
CASEWORKER = User("bench.saksbehandler", Role.CASEWORKER, None, "2025-01-01T00:00:00+00:00")


def queries(path: Path, count: int, seed: int = 13) -> dict[str, list[str]]:
    """Search texts drawn from the file: a name part (the start of a surname, folded, so
    "Øvingsli" is typed "ovin"), a national id typed with a space, and the address of a
    dwelling someone was settled in."""
    names: list[str] = []
    ids: list[str] = []
    addresses: dict[str, str] = {}
    settled: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            kind = event["type"]
            if kind == "CaseOpened":
                person = event["person"]
                names.append(person["name"])
                if person.get("national_id"):
                    ids.append(person["national_id"])
            elif kind == "DwellingRegistered" and event.get("address"):
                addresses[event["dwelling"]] = event["address"]
            elif kind == "Settled" and event.get("dwelling"):
                settled.add(event["dwelling"])
    rng = random.Random(seed)
    lived_in = sorted(ref for ref in addresses if ref in settled)

    def name_part(name: str) -> str:
        surname = fold(words(name)[-1])
        return surname[: max(4, len(surname) // 2)]

    return {
        "name part": [name_part(n) for n in rng.sample(names, min(count, len(names)))],
        "national id": [f"{i[:6]} {i[6:]}" for i in rng.sample(ids, min(count, len(ids)))],
        "address": [addresses[ref] for ref in rng.sample(lived_in, min(count, len(lived_in)))],
    }


def timed(action: Callable[[str], Any], texts: list[str], repeats: int) -> list[float]:
    for text in texts[:3]:
        action(text)
    samples = []
    for n in range(repeats):
        text = texts[n % len(texts)]
        started = time.perf_counter()
        action(text)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def search_figures(
    services: Services, texts: dict[str, list[str]], label: str, repeats: int
) -> list[Figure]:
    backend = "postgres" if services.settings.database_url.startswith("postgres") else "sqlite"
    query = CaseQuery()
    day = services.today().isoformat()
    found: dict[str, list[int]] = {}

    def case_list(_: str) -> None:
        with services.reads.reading() as tx:
            list_cases(tx, day, query, 50, 0)

    baseline = timed(case_list, ["-"], repeats)
    base50, base99 = percentile(baseline, 0.5), percentile(baseline, 0.99)
    figures = [*latencies(f"{backend} baseline: case list, first page, {label}", baseline)]
    for kind, kind_texts in texts.items():
        totals: list[int] = []

        def search(text: str, totals: list[int] = totals) -> None:
            searched = search_cases(
                services, CASEWORKER, text, query, limit=50, offset=0, route="bench search"
            )
            totals.append(searched.total)

        unlogged = timed(lambda text: found_cases(services, text, query), kind_texts, repeats)
        samples = timed(search, kind_texts, repeats)
        found[kind] = totals
        p50, p99 = latencies(f"{backend} search by {kind}, {label}", samples, GOAL_MS)
        p50.baseline, p99.baseline = base50, base99
        hits = sorted(totals)
        note = (
            f"{len(kind_texts)} texts, cases found: median {hits[len(hits) // 2]:,},"
            f" max {hits[-1]:,}"
        )
        p50.note = p99.note = note
        bare50, bare99 = latencies(
            f"{backend} search by {kind} without the access-log write, {label}", unlogged, GOAL_MS
        )
        bare50.baseline, bare99.baseline = base50, base99
        figures += [p50, p99, bare50, bare99]
    return figures


def run_backend(backend: str, path: Path, label: str, count: int, repeats: int) -> list[Figure]:
    texts = queries(path, count)
    with fresh(backend, "search") as store:
        started = time.perf_counter()
        run_import(store, path)
        imported = time.perf_counter() - started
        services = _services(store)
        caught_up = time.perf_counter() - started - imported
        print(f"# {backend}: imported in {imported:.0f} s, read models in {caught_up:.0f} s")
        store.settle()
        try:
            return search_figures(services, texts, label, repeats)
        finally:
            services.close()


def _services(store: Store) -> Services:
    """The services as a server process holds them, its heap settled (api.app.settle_heap)."""
    services = build_services(store.settings())
    settle_heap()
    return services


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--scale", choices=("tiny", "moss", "country"), required=True)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--events", type=int, default=200_000, help="country: the prefix")
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--texts", type=int, default=50, help="search texts of each kind")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/boligspor-bench"))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    scrub_library_environment()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    path, total = dataset(args.scale, args.data_dir)
    label = f"{args.scale} ({total:,} events)"
    if args.scale == "country" and args.events < total:
        prefix = args.data_dir / f"{args.scale}-{args.events}.jsonl"
        if not prefix.exists():
            prefix_file(path, prefix, args.events)
        path, label = prefix, f"country prefix ({args.events:,} of {total:,} events)"
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    figures: list[Figure] = []
    for backend in backends:
        for figure in run_backend(backend, path, label, args.texts, args.repeats):
            print(figure.line(), flush=True)
            figures.append(figure)
    out = args.out or RESULTS / f"search-{args.scale}-{time.strftime('%Y%m%dT%H%M%S')}.json"
    write(out, {"scale": args.scale, "events": label, "repeats": args.repeats}, figures)
    missed = [f.name for f in figures if f.met is False]
    print(f"# {len(figures)} figures, {len(missed)} goals missed; written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
