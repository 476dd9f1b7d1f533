"""Benchmark data: docs/events.md-abiding JSON Lines at three scales, streamed to a file.

Each municipality is the demo simulation (`domain.demo`) with its own seed and size; its case,
dwelling and event refs are prefixed by a municipality number, so municipalities never share a
case or a dwelling and every rule holds per municipality. Municipalities are simulated one at a
time into a temporary file each, then merged by business date (each file keeps its own order),
so at most one municipality's events are in memory.
"""

from __future__ import annotations

import dataclasses
import heapq
import json
import random
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from domain import demo

TODAY = date(2025, 6, 1)
Event = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Scale:
    municipalities: int
    mean_size: float  # mean size of a municipality relative to Moss's demo (~17k events)
    largest: float


SCALES = {
    "tiny": Scale(2, 0.1, 0.1),
    "moss": Scale(1, 1.0, 1.0),
    "country": Scale(350, 0.36, 6.0),
}


def sizes(scale: Scale, seed: int = 7) -> list[float]:
    """Municipality sizes relative to Moss: a long tail of small ones, a few large (log-normal,
    capped at `largest`, floored at 0.08 of Moss), rescaled to the wanted mean."""
    if scale.municipalities == 1:
        return [scale.mean_size]
    rng = random.Random(seed)
    raw = sorted((rng.lognormvariate(0, 1.1) for _ in range(scale.municipalities)), reverse=True)
    factor = scale.mean_size * scale.municipalities / sum(raw)
    return [min(scale.largest, max(0.08, r * factor)) for r in raw]


def municipality_events(number: int, size: float, seed: int, today: date = TODAY) -> list[Event]:
    """One municipality's events, refs prefixed `K<number>-` (ids `k<number>-`)."""
    moss = demo.SCALES["moss"]
    shape = dataclasses.replace(
        moss,
        dwellings=moss.dwellings * size,
        arrivals_per_day=moss.arrivals_per_day * size,
        allocations_per_day=moss.allocations_per_day * size,
        hf_cap=max(1, round(moss.hf_cap * size)),
    )
    name = f"bench-{size:.4f}"
    demo.SCALES.setdefault(name, shape)
    prefix = f"K{number:04d}-"
    id_prefix = prefix.lower()
    out = []
    for event in demo.generate(seed, today=today, scale=name):
        event["id"] = id_prefix + event["id"]
        for key in ("case", "dwelling"):
            if key in event:
                event[key] = prefix + event[key]
        if "target" in event:
            event["target"] = id_prefix + event["target"]
        out.append(event)
    return out


def _line(event: Event) -> str:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_scale(path: Path, scale_name: str, seed: int = 2023, today: date = TODAY) -> int:
    """Write the scale's events to `path` in recording order; return how many were written."""
    scale = SCALES[scale_name]
    with tempfile.TemporaryDirectory(prefix="bench-data-") as folder:
        parts = []
        for index, size in enumerate(sizes(scale)):
            part = Path(folder) / f"{index:04d}.tsv"
            with part.open("w", encoding="utf-8") as out:
                for event in municipality_events(101 + index, size, seed + 17 * index, today):
                    out.write(event["on"] + "\t" + _line(event))
            parts.append(part)
        return _merge(parts, path)


def _merge(parts: list[Path], path: Path) -> int:
    handles = [part.open(encoding="utf-8") for part in parts]
    count = 0
    try:
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for keyed in heapq.merge(*handles, key=lambda line: line[:10]):
                out.write(keyed[11:])
                count += 1
    finally:
        for handle in handles:
            handle.close()
    return count


def prefix_file(source: Path, target: Path, count: int) -> int:
    """The first `count` lines of `source` (a file of recording order is valid at any cut)."""
    written = 0
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for line in lines:
            if written == count:
                break
            out.write(line)
            written += 1
    return written


def long_case(ref: str, events: int, today: date = TODAY) -> Iterator[Event]:
    """One case with `events` events, every rule kept: applications rejected and appealed,
    stays started and ended, follow-ups, concerns and changes of situation, one a day or so."""
    day = today - timedelta(days=events + 10)
    n = 0

    def emit(event_type: str, **fields: Any) -> Event:
        nonlocal n, day
        n += 1
        event: Event = {"id": f"{ref.lower()}-{n:05d}", "type": event_type, "case": ref}
        event["on"] = day.isoformat()
        event.update(fields)
        day += timedelta(days=1)
        return event

    yield emit(
        "CaseOpened",
        household={"adults": 1, "children": 1},
        group="families",
        situation="friends_family",
        person={"name": "Kari Eksempelsen", "phone": "40000000"},
    )
    cycle: list[tuple[str, dict[str, Any]]] = [
        ("ApplicationReceived", {}),
        ("FollowUpLogged", {"team": "housing_office", "kind": "meeting", "minutes": 45}),
        ("ApplicationDecided", {"decision": "rejected", "legal_basis": "boligsosialloven § 5"}),
        ("AppealReceived", {}),
        ("TemporaryStayStarted", {"kind": "hotel", "place": "Hotell Sentrum"}),
        ("FollowUpLogged", {"team": "nav", "kind": "phone", "minutes": 15, "note": "Ringte."}),
        ("AppealDecided", {"outcome": "upheld"}),
        ("SituationChanged", {"situation": "temporary"}),
        ("ConcernReported", {"to": "child_welfare"}),
        ("TemporaryStayEnded", {}),
        ("SituationChanged", {"situation": "friends_family"}),
        ("FollowUpLogged", {"team": "housing_office", "kind": "home_visit", "minutes": 60}),
    ]
    stay = 0
    while n < events:
        kind, fields = cycle[(n - 1) % len(cycle)]
        if kind == "TemporaryStayStarted":
            stay += 1
        if kind.startswith("TemporaryStay"):
            fields = {**fields, "stay": f"t{stay}"}
        yield emit(kind, **fields)
