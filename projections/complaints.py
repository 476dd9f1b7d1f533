"""Complaints: each complaint with its category, source and dwelling (the one named, or the one
the case was settled in at that point of its history), and how it was closed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.values import COMPLAINT_CATEGORIES, COMPLAINT_OUTCOMES
from projections import aggregates
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.read_model import ReadModel, Rows

COMPLAINTS = Table(
    "rm_complaints",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("complaint_ref", "TEXT NOT NULL"),
        ("received_on", "TEXT NOT NULL"),
        ("category", "TEXT NOT NULL"),
        ("source", "TEXT NOT NULL"),
        ("dwelling_ref", "TEXT"),
        ("closed_on", "TEXT"),
        ("outcome", "TEXT"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("received_on",), ("closed_on",)),
)

UNKNOWN_DISTRICT = "unknown"


def rows(timeline: CaseTimeline) -> Rows:
    return {
        COMPLAINTS.name: [
            (
                timeline.case_ref,
                seq,
                c.complaint_ref,
                c.received_on,
                c.category,
                c.source,
                c.dwelling_ref,
                c.closed_on,
                c.outcome,
            )
            for seq, c in enumerate(timeline.complaints)
        ]
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="complaints", stream="case", tables=(COMPLAINTS,), rows=rows
)


def annual_section(
    tx: Transaction, first: str, cutoff: str, districts: Sequence[str]
) -> dict[str, Any]:
    by_category = dict.fromkeys(COMPLAINT_CATEGORIES, 0)
    for category, n in aggregates.between(tx, "complaints_by_category", first, cutoff).items():
        if n:
            by_category[category] += n
    received = sum(by_category.values())
    in_district = aggregates.between(tx, "complaints_by_district", first, cutoff)
    by_district = {d: in_district.get(d, 0) for d in [*districts, UNKNOWN_DISTRICT]}
    by_district[UNKNOWN_DISTRICT] += received - sum(by_district.values())
    closed = dict.fromkeys(COMPLAINT_OUTCOMES, 0)
    for outcome, n in aggregates.between(tx, "complaints_closed", first, cutoff).items():
        if n:
            closed[outcome] += n
    return {
        "received": received,
        "by_district": by_district,
        "by_category": by_category,
        "closed_by_outcome": closed,
    }


def received_between(tx: Transaction, first: str, last: str) -> list[tuple[str | None, str | None]]:
    """(dwelling_ref, closed_on) of every complaint received in [first, last]."""
    return [
        (None if ref is None else str(ref), None if closed_on is None else str(closed_on))
        for ref, closed_on in tx.query(
            "SELECT dwelling_ref, closed_on FROM rm_complaints"
            " WHERE received_on >= ? AND received_on <= ?",
            (first, last),
        )
    ]


def open_complaints_on(tx: Transaction, day: str) -> list[tuple[str, str, str]]:
    """(case_ref, complaint_ref, received_on) of each complaint received by the day and not
    closed on it."""
    return [
        (str(ref), str(complaint), str(received_on))
        for ref, complaint, received_on in tx.query(
            "SELECT case_ref, complaint_ref, received_on FROM rm_complaints"
            " WHERE received_on <= ? AND (closed_on IS NULL OR closed_on > ?)",
            (day, day),
        )
    ]
