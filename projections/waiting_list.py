"""The waiting list as a membership log: who joined when, with what priority, and who left
when and why (settled, withdrawn, closed). Membership ends on the leaving day."""

from __future__ import annotations

from typing import Any

from domain.values import GROUPS, PRIORITIES
from projections import aggregates
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.history import END_OF_TIME, days_between, lower_median_of_counts
from projections.read_model import ReadModel, Rows

MEMBERSHIPS = Table(
    "rm_waitlist_memberships",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("joined_on", "TEXT NOT NULL"),
        ("priority", "TEXT NOT NULL"),
        ("left_on", "TEXT NOT NULL"),
        ("left_reason", "TEXT"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("joined_on",), ("left_on", "joined_on")),
)

WAITING_SPANS = Table(
    "rm_waitlist_spans",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("from_on", "TEXT NOT NULL"),
        ("to_on", "TEXT NOT NULL"),
        ("joined_on", "TEXT NOT NULL"),
        ("priority", "TEXT NOT NULL"),
        ("grp", "TEXT NOT NULL"),
    ),
    primary_key=("case_ref", "from_on"),
    indexes=(("to_on", "from_on", "grp", "priority", "joined_on"),),
)

LEAVING_REASONS = ("settled", "withdrawn", "closed")


def rows(timeline: CaseTimeline) -> Rows:
    return {
        MEMBERSHIPS.name: [
            (
                timeline.case_ref,
                seq,
                m.joined_on,
                m.priority,
                m.left_on or END_OF_TIME,
                m.left_reason,
            )
            for seq, m in enumerate(timeline.memberships)
        ],
        WAITING_SPANS.name: [
            (
                timeline.case_ref,
                w.from_on,
                w.to_on,
                w.state.joined_on,
                w.state.priority,
                w.state.group,
            )
            for w in timeline.waiting_spans
        ],
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="waiting_list", stream="case", tables=(MEMBERSHIPS, WAITING_SPANS), rows=rows
)


def members_on(tx: Transaction, day: str) -> list[tuple[str, str, str]]:
    """(case_ref, priority, joined_on) of every member on the day."""
    return [
        (str(ref), str(priority), str(joined_on))
        for ref, priority, joined_on in tx.query(
            "SELECT case_ref, priority, joined_on FROM rm_waitlist_spans"
            " WHERE to_on > ? AND from_on <= ?",
            (day, day),
        )
    ]


def count_on(tx: Transaction, day: str) -> int:
    return sum(aggregates.as_of(tx, "waiting", day).values())


def status_section(tx: Transaction, day: str) -> dict[str, Any]:
    by_group = dict.fromkeys(GROUPS, 0)
    by_priority = dict.fromkeys(PRIORITIES, 0)
    for key, n in aggregates.as_of(tx, "waiting", day).items():
        if n:
            group, priority = key.rsplit("|", 1)
            by_group[group] += n
            by_priority[priority] += n
    joined = tx.query(
        "SELECT joined_on, COUNT(*) FROM rm_waitlist_spans"
        " WHERE to_on > ? AND from_on <= ? GROUP BY joined_on ORDER BY joined_on DESC",
        (day, day),
    )
    return {
        "total": sum(by_priority.values()),
        "by_group": by_group,
        "by_priority": by_priority,
        "median_days_waiting": lower_median_of_counts(
            [(days_between(on, day), int(n)) for on, n in joined]
        ),
    }


def annual_section(tx: Transaction, year: int, first: str, cutoff: str) -> dict[str, Any]:
    joined = aggregates.between(tx, "waitlist_joined", first, cutoff)
    left = dict.fromkeys(LEAVING_REASONS, 0)
    for reason, n in aggregates.between(tx, "waitlist_left", first, cutoff).items():
        if n:
            left[reason] += n
    waited = aggregates.between(tx, "waitlist_settled_after_days", first, cutoff)
    return {
        "start": count_on(tx, f"{year - 1}-12-31"),
        "end": count_on(tx, cutoff),
        "joined": sum(joined.values()),
        "left_settled": left["settled"],
        "left_withdrawn": left["withdrawn"],
        "left_closed": left["closed"],
        "median_days_to_settlement": lower_median_of_counts(
            [(int(days), n) for days, n in waited.items()]
        ),
    }
