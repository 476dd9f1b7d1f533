"""Case status: when a case is open, and its group, household and situation on each day."""

from __future__ import annotations

from collections.abc import Iterable

from projections.case_timeline import CaseTimeline, Profile
from projections.db import Table, Transaction
from projections.read_model import ReadModel, Rows

OPEN_SPANS = Table(
    "rm_case_open_spans",
    (("case_ref", "TEXT NOT NULL"), ("from_on", "TEXT NOT NULL"), ("to_on", "TEXT NOT NULL")),
    primary_key=("case_ref", "from_on"),
)
PROFILE_SPANS = Table(
    "rm_case_profile_spans",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("from_on", "TEXT NOT NULL"),
        ("to_on", "TEXT NOT NULL"),
        ("grp", "TEXT NOT NULL"),
        ("adults", "INTEGER NOT NULL"),
        ("children", "INTEGER NOT NULL"),
        ("situation", "TEXT NOT NULL"),
    ),
    primary_key=("case_ref", "from_on"),
)
ACTIVITY_DAYS = Table(
    "rm_case_activity_days",
    (("case_ref", "TEXT NOT NULL"), ("on_date", "TEXT NOT NULL")),
    primary_key=("case_ref", "on_date"),
    indexes=(("on_date",),),
)


def rows(timeline: CaseTimeline) -> Rows:
    ref = timeline.case_ref
    return {
        OPEN_SPANS.name: [(ref, s.from_on, s.to_on) for s in timeline.open_spans],
        PROFILE_SPANS.name: [
            (
                ref,
                s.from_on,
                s.to_on,
                s.state.group,
                s.state.adults,
                s.state.children,
                s.state.situation,
            )
            for s in timeline.profile_spans
        ],
        ACTIVITY_DAYS.name: [(ref, on) for on in timeline.activity_days],
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="case_status", stream="case", tables=(OPEN_SPANS, PROFILE_SPANS, ACTIVITY_DAYS), rows=rows
)


def profiles_on(
    tx: Transaction, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Profile]:
    """The profile of each (case_ref, day) asked for."""
    wanted = sorted(set(pairs))
    found: dict[tuple[str, str], Profile] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        refs = sorted({ref for ref, _ in chunk})
        marks = ", ".join("?" for _ in refs)
        spans_by_ref: dict[str, list[tuple[str, str, Profile]]] = {}
        for ref, from_on, to_on, group, adults, children, situation in tx.query(
            f"SELECT case_ref, from_on, to_on, grp, adults, children, situation"
            f" FROM rm_case_profile_spans WHERE case_ref IN ({marks})",
            refs,
        ):
            spans_by_ref.setdefault(ref, []).append(
                (from_on, to_on, Profile(group, adults, children, situation))
            )
        for ref, on in chunk:
            for from_on, to_on, profile in spans_by_ref.get(ref, []):
                if from_on <= on < to_on:
                    found[(ref, on)] = profile
    return found


def earliest_case_day(tx: Transaction) -> str | None:
    """The earliest business date of any case (its opening comes first in its history)."""
    row = tx.query_one("SELECT MIN(from_on) FROM rm_case_profile_spans")
    return None if row is None or row[0] is None else str(row[0])


def cases_with_activity(tx: Transaction, first: str, last: str) -> set[str]:
    """Cases with at least one counting event with `on` in [first, last]."""
    return {
        str(ref)
        for (ref,) in tx.query(
            "SELECT DISTINCT case_ref FROM rm_case_activity_days"
            " WHERE on_date >= ? AND on_date <= ?",
            (first, last),
        )
    }


def open_cases_on(tx: Transaction, day: str) -> set[str]:
    """The cases open on the day."""
    return {
        str(ref)
        for (ref,) in tx.query(
            "SELECT case_ref FROM rm_case_open_spans WHERE from_on <= ? AND to_on > ?",
            (day, day),
        )
    }


def cases_in_group_on(tx: Transaction, day: str, group: str) -> set[str]:
    """The cases whose group on the day is `group`."""
    return {
        str(ref)
        for (ref,) in tx.query(
            "SELECT case_ref FROM rm_case_profile_spans"
            " WHERE from_on <= ? AND to_on > ? AND grp = ?",
            (day, day, group),
        )
    }
