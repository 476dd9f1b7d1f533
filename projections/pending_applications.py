"""Pending applications: each application from its ApplicationReceived until the
ApplicationDecided, Withdrawn or CaseClosed that ends it (not pending from that day on)."""

from __future__ import annotations

from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.history import END_OF_TIME
from projections.read_model import ReadModel, Rows

PENDING = Table(
    "rm_pending_applications",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("received_on", "TEXT NOT NULL"),
        ("ended_on", "TEXT NOT NULL"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("ended_on", "received_on"),),
)


def rows(timeline: CaseTimeline) -> Rows:
    return {
        PENDING.name: [
            (timeline.case_ref, seq, a.received_on, a.ended_on or END_OF_TIME)
            for seq, a in enumerate(timeline.applications)
        ]
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="pending_applications", stream="case", tables=(PENDING,), rows=rows
)


def pending_received_before(tx: Transaction, day: str, received_before: str) -> list[str]:
    """Cases with an application pending on the day that was received before the other date."""
    return [
        str(ref)
        for (ref,) in tx.query(
            "SELECT case_ref FROM rm_pending_applications"
            " WHERE ended_on > ? AND received_on <= ? AND received_on < ?",
            (day, day, received_before),
        )
    ]
