"""Temporary stays: each stay with its start and the event that ended it. A stay occupies the
nights start ≤ d < end, end being its TemporaryStayEnded or the Settled / CaseClosed that
ended it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from projections import aggregates
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.figure_definitions import LONG_STAY_NIGHTS
from projections.history import END_OF_TIME, days_between, iso, lower_median_of_counts
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


@dataclass(frozen=True)
class StayHeld:
    """A stay that holds the night of a day."""

    case_ref: str
    stay_ref: str
    kind: str
    started_on: str


def stays_held_on(tx: Transaction, day: str) -> list[StayHeld]:
    """Every stay that holds the night of the day."""
    return [
        StayHeld(str(ref), str(stay), str(kind), str(started))
        for ref, stay, kind, started in tx.query(
            "SELECT case_ref, stay_ref, kind, started_on FROM rm_stays"
            " WHERE started_on <= ? AND ended_on > ?",
            (day, day),
        )
    ]


def open_stay_of(tx: Transaction, case_ref: str) -> str | None:
    """The stay of the case that has not ended, if any."""
    row = tx.query_one(
        "SELECT stay_ref FROM rm_stays WHERE case_ref = ? AND ended_on = ?", (case_ref, END_OF_TIME)
    )
    return None if row is None else str(row[0])


def status_section(tx: Transaction, day: str) -> dict[str, Any]:
    nights = [
        (days_between(started_on, day), int(n))
        for started_on, n in tx.query(
            "SELECT started_on, COUNT(*) FROM rm_stays WHERE ended_on > ? AND started_on <= ?"
            " GROUP BY started_on",
            (day, day),
        )
    ]
    return {
        "current_stays": sum(aggregates.as_of(tx, "staying", day).values()),
        "households_with_children": sum(
            aggregates.as_of(tx, "staying_with_children", day).values()
        ),
        "over_90_nights": sum(aggregates.as_of(tx, "staying_over_90", day).values()),
        "median_nights": lower_median_of_counts(nights),
        "max_nights": max((n for n, _ in nights), default=None),
    }


def annual_section(tx: Transaction, year: int, cutoff: str, today: date) -> dict[str, Any]:
    """Flows of year Y up to the cut-off; a stay open at the cut-off counts its nights up to
    and including 31 Dec Y, or, in the current year, up to and including yesterday."""
    first = f"{year}-01-01"
    nights_end = min(iso(date(year, 12, 31) + timedelta(days=1)), iso(today))
    started = aggregates.between(tx, "stays_started", first, cutoff)
    first_nights: dict[str, tuple[str, int]] = {}  # case → its first night, children then
    over_90 = 0
    for ref, started_on, ended_on, children in tx.query(
        # Each stay with the household's children on its first night in the year.
        "SELECT s.case_ref, s.started_on, s.ended_on, (SELECT MAX(p.children)"
        " FROM rm_case_profile_spans p WHERE p.case_ref = s.case_ref"
        " AND p.from_on <= (CASE WHEN s.started_on > ? THEN s.started_on ELSE ? END)"
        " AND p.to_on > (CASE WHEN s.started_on > ? THEN s.started_on ELSE ? END))"
        " FROM rm_stays s WHERE s.ended_on > ? AND s.started_on <= ? AND s.started_on < ?",
        (first, first, first, first, first, cutoff, nights_end),
    ):
        end = min(ended_on, nights_end)
        first_night = max(started_on, first)
        if first_night >= end:
            continue
        if ref not in first_nights or first_night < first_nights[ref][0]:
            first_nights[ref] = (first_night, int(children or 0))
        if days_between(started_on, end) > LONG_STAY_NIGHTS:
            over_90 += 1
    ended = aggregates.between(tx, "stays_ended_after_nights", first, cutoff)
    return {
        "stays_started": sum(started.values()),
        "nights": _nights(tx, first, nights_end),
        "households": len(first_nights),
        "households_with_children": sum(1 for _, children in first_nights.values() if children),
        "stays_over_90_nights": over_90,
        "median_nights_ended": lower_median_of_counts([(int(n), k) for n, k in ended.items()]),
    }


def _nights(tx: Transaction, first: str, end: str) -> int:
    """Nights in stays over the days first ≤ D < end: the sum of the stays held each day."""
    held, nights, since = 0, 0, first
    for on, n in aggregates.daily(tx, "staying", end):
        if on >= end:
            break
        if on > since:
            nights += held * days_between(since, on)
            since = on
        held += n
    return nights + (held * days_between(since, end) if end > since else 0)
