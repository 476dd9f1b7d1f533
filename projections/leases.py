"""Leases: the latest `lease_until` of a settled case on each day (Settled, then LeaseRenewed)."""

from __future__ import annotations

from collections.abc import Sequence

from projections import aggregates
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.figure_definitions import LEASE_HORIZON_DAYS
from projections.history import shift
from projections.read_model import ReadModel, Rows

LEASE_SPANS = Table(
    "rm_lease_spans",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("from_on", "TEXT NOT NULL"),
        ("to_on", "TEXT NOT NULL"),
        ("lease_until", "TEXT NOT NULL"),
    ),
    primary_key=("case_ref", "from_on"),
    indexes=(("lease_until",),),
)


def rows(timeline: CaseTimeline) -> Rows:
    return {
        LEASE_SPANS.name: [
            (timeline.case_ref, s.from_on, s.to_on, s.state) for s in timeline.lease_spans
        ]
    }


READ_MODEL = ReadModel[CaseTimeline](name="leases", stream="case", tables=(LEASE_SPANS,), rows=rows)


def expiring_within(tx: Transaction, day: str, days: int) -> int:
    """Settled cases whose latest lease_until on the day is in (day, day + days]."""
    if days == LEASE_HORIZON_DAYS:
        return sum(aggregates.as_of(tx, "lease_expiring", day).values())
    row = tx.query_one(
        "SELECT COUNT(*) FROM rm_lease_spans"
        " WHERE lease_until > ? AND lease_until <= ? AND from_on <= ? AND to_on > ?",
        (day, shift(day, days), day, day),
    )
    return int(row[0]) if row else 0


def leases_on(tx: Transaction, day: str, refs: Sequence[str] | None = None) -> dict[str, str]:
    """Each settled case's latest lease_until on the day (of the cases `refs` only, when
    given: a page of a list asks for its own cases, not for every settled case)."""
    if refs is None:
        return {
            str(ref): str(until)
            for ref, until in tx.query(
                "SELECT case_ref, lease_until FROM rm_lease_spans WHERE from_on <= ? AND to_on > ?",
                (day, day),
            )
        }
    ordered = sorted(set(refs))
    found: dict[str, str] = {}
    for start in range(0, len(ordered), 400):
        chunk = ordered[start : start + 400]
        marks = ", ".join("?" for _ in chunk)
        for ref, until in tx.query(
            "SELECT case_ref, lease_until FROM rm_lease_spans"
            f" WHERE from_on <= ? AND to_on > ? AND case_ref IN ({marks})",
            [day, day, *chunk],
        ):
            found[str(ref)] = str(until)
    return found


def leases_ending_within(tx: Transaction, day: str, days: int) -> list[tuple[str, str]]:
    """(case_ref, lease_until) of each settled case whose latest lease_until on the day is in
    (day, day + days]."""
    return [
        (str(ref), str(lease_until))
        for ref, lease_until in tx.query(
            "SELECT case_ref, lease_until FROM rm_lease_spans"
            " WHERE from_on <= ? AND to_on > ? AND lease_until > ? AND lease_until <= ?",
            (day, day, day, shift(day, days)),
        )
    ]
