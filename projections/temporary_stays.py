"""Temporary stays: each stay with its start and the event that ended it. A stay occupies the
nights start ≤ d < end, end being its TemporaryStayEnded or the Settled / CaseClosed that
ended it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from projections.case_status import profiles_on
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.history import END_OF_TIME, days_between, iso, lower_median
from projections.read_model import ReadModel, Rows

STAYS = Table(
    "rm_stays",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("stay_ref", "TEXT NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("started_on", "TEXT NOT NULL"),
        ("ended_on", "TEXT NOT NULL"),
        ("ended_by", "TEXT"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("started_on",), ("ended_on", "started_on")),
)


def rows(timeline: CaseTimeline) -> Rows:
    return {
        STAYS.name: [
            (
                timeline.case_ref,
                seq,
                s.stay_ref,
                s.kind,
                s.started_on,
                s.ended_on or END_OF_TIME,
                s.ended_by,
            )
            for seq, s in enumerate(timeline.stays)
        ]
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="temporary_stays", stream="case", tables=(STAYS,), rows=rows
)


def stays_on(tx: Transaction, day: str) -> list[tuple[str, str]]:
    """(case_ref, started_on) of every stay that holds the night of the day."""
    return [
        (str(ref), str(started_on))
        for ref, started_on in tx.query(
            "SELECT case_ref, started_on FROM rm_stays WHERE ended_on > ? AND started_on <= ?",
            (day, day),
        )
    ]


def status_section(tx: Transaction, day: str) -> dict[str, Any]:
    current = stays_on(tx, day)
    profiles = profiles_on(tx, ((ref, day) for ref, _ in current))
    nights = [days_between(started_on, day) for _, started_on in current]
    return {
        "current_stays": len(current),
        "households_with_children": sum(
            1 for ref, _ in current if profiles[(ref, day)].children > 0
        ),
        "over_90_nights": sum(1 for n in nights if n > 90),
        "median_nights": lower_median(nights),
        "max_nights": max(nights) if nights else None,
    }


def annual_section(tx: Transaction, year: int, cutoff: str, today: date) -> dict[str, Any]:
    """Flows of year Y up to the cut-off; a stay open at the cut-off counts its nights up to
    and including 31 Dec Y, or, in the current year, up to and including yesterday."""
    first = f"{year}-01-01"
    nights_end = min(iso(date(year, 12, 31) + timedelta(days=1)), iso(today))
    started = tx.query_one(
        "SELECT COUNT(*) FROM rm_stays WHERE started_on >= ? AND started_on <= ?", (first, cutoff)
    )
    nights = 0
    first_nights: dict[str, str] = {}
    over_90 = 0
    for ref, started_on, ended_on in tx.query(
        "SELECT case_ref, started_on, ended_on FROM rm_stays"
        " WHERE ended_on > ? AND started_on <= ? AND started_on < ?",
        (first, cutoff, nights_end),
    ):
        end = min(ended_on, nights_end)
        first_night = max(started_on, first)
        if first_night >= end:
            continue
        nights += days_between(first_night, end)
        first_nights[ref] = min(first_nights.get(ref, first_night), first_night)
        if days_between(started_on, end) > 90:
            over_90 += 1
    profiles = profiles_on(tx, first_nights.items())
    ended = [
        days_between(started_on, ended_on)
        for started_on, ended_on in tx.query(
            "SELECT started_on, ended_on FROM rm_stays WHERE ended_on >= ? AND ended_on <= ?",
            (first, cutoff),
        )
    ]
    return {
        "stays_started": int(started[0]) if started else 0,
        "nights": nights,
        "households": len(first_nights),
        "households_with_children": sum(
            1 for key in first_nights.items() if profiles[key].children > 0
        ),
        "stays_over_90_nights": over_90,
        "median_nights_ended": lower_median(ended),
    }
