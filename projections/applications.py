"""Applications and appeals: each step (received, approved, rejected, appeal received, upheld,
overturned) with its business date."""

from __future__ import annotations

from typing import Any

from projections import aggregates
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.read_model import ReadModel, Rows

STEPS = Table(
    "rm_application_steps",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("on_date", "TEXT NOT NULL"),
        ("step", "TEXT NOT NULL"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("on_date",),),
)


def rows(timeline: CaseTimeline) -> Rows:
    return {
        STEPS.name: [
            (timeline.case_ref, seq, on, step)
            for seq, (on, step) in enumerate(timeline.application_steps)
        ]
    }


READ_MODEL = ReadModel[CaseTimeline](name="applications", stream="case", tables=(STEPS,), rows=rows)


def annual_section(tx: Transaction, first: str, cutoff: str) -> dict[str, Any]:
    counts = aggregates.between(tx, "application_steps", first, cutoff)
    return {
        "received": counts.get("received", 0),
        "approved": counts.get("approved", 0),
        "rejected": counts.get("rejected", 0),
        "appeals_received": counts.get("appeal_received", 0),
        "appeals_overturned": counts.get("appeal_overturned", 0),
    }
