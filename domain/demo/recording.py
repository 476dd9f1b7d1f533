"""The recording order: a few follow-ups recorded late, a few events retracted; the public
`generate` and `write_jsonl`."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

from domain.demo.simulation import Simulation
from domain.demo.state import SCALES, Event
from domain.municipality import MOSS


def _late_and_retracted(events: list[Event], rng: random.Random, today: date) -> list[Event]:
    """Record a few follow-ups some days late, and retract a few events nothing depends on.

    A backdated follow-up moves after the events of the day it was recorded; it is never on
    the day its case was closed (it would then follow the closing). Only follow-ups and
    complaints that were never closed are retracted, within days, while the case is open.
    """
    closings: dict[str, list[date]] = {}
    closed_complaints: set[tuple[str, str]] = set()
    for event in events:
        if event["type"] == "CaseClosed":
            closings.setdefault(event["case"], []).append(date.fromisoformat(event["on"]))
        if event["type"] == "ComplaintClosed":
            closed_complaints.add((event["case"], event["complaint"]))

    def closed_within(case: str, first: date, last: date) -> bool:
        return any(first <= closed <= last for closed in closings.get(case, ()))

    keyed: list[tuple[date, int, int, Event]] = []
    retractions: list[Event] = []
    for index, event in enumerate(events):
        on = date.fromisoformat(event["on"])
        recorded, late = on, 0
        draw = rng.random()
        unretractable = event["type"] == "ComplaintReceived" and (
            (event["case"], event["complaint"]) in closed_complaints
        )
        share = {"FollowUpLogged": 0.004, "ComplaintReceived": 0.15}.get(event["type"], 0.0)
        when = on + timedelta(days=1 + int(draw * 1000) % 10)
        retractable = not unretractable and when <= today
        if draw < share and retractable and not closed_within(event["case"], on, when):
            reason = rng.choice(("registrert på feil sak", "feilregistrering"))
            retractions.append(
                {
                    "id": f"{event['id']}-r",
                    "type": "EventRetracted",
                    "case": event["case"],
                    "on": when.isoformat(),
                    "target": event["id"],
                    "reason": reason,
                }
            )
            keyed.append((on, 0, index, event))
            continue
        if event["type"] == "FollowUpLogged" and draw > 0.985:
            recorded = on + timedelta(days=rng.randint(1, 6))
            if recorded > today or closed_within(event["case"], on, on):
                recorded = on
            late = 1 if recorded > on else 0
        keyed.append((recorded, late, index, event))
    keyed += [
        (date.fromisoformat(r["on"]), 1, len(events) + i, r) for i, r in enumerate(retractions)
    ]
    keyed.sort(key=lambda item: (item[0], item[1], item[2]))
    return [event for _, _, _, event in keyed]


def generate(
    seed: int = 2023,
    *,
    today: date,
    scale: str = "moss",
    districts: Sequence[str] = MOSS.district_codes,
) -> Iterator[Event]:
    """The demo municipality's events in recording order, none dated after `today`.

    Dwellings are registered in `districts` (the configured municipality's codes; Moss's are
    weighted by its working table, another municipality's evenly).

    `scale` is "moss" (about 980 dwellings and ten years of cases, 10–15k events) or "small"
    (a tenth of the dwellings over four years, for quick tests).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    simulation = Simulation(seed, today, SCALES[scale], districts)
    events = simulation.run()
    rng = random.Random(seed + 1)  # noqa: S311 -- reproducible synthetic data, not secrets
    yield from _late_and_retracted(events, rng, today)


def write_jsonl(path: str | Path, events: Iterable[Event]) -> int:
    """Write events as JSON Lines (UTF-8, one object a line); return how many were written."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
    return count
