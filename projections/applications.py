"""Applications and appeals: each step (received, approved, rejected, appeal received, upheld,
overturned) with its business date."""

from __future__ import annotations

from collections.abc import Sequence
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


# The steps after which an appeal is no longer pending (a new application starts afresh).
_APPEAL_ENDS = ("appeal_upheld", "appeal_overturned", "received")


def pending_appeals(tx: Transaction, day: str, refs: Sequence[str]) -> set[str]:
    """Those of the cases asked for whose latest appeal received by the day is not decided by
    it (nor followed by a new application); at most 400 refs. (A withdrawal or closing also
    drops an appeal; a case on the waiting list has had neither since.)"""
    if not refs:
        return set()
    marks = ", ".join("?" for _ in refs)
    latest: dict[str, tuple[str, int, str]] = {}
    for ref, seq, on, step in tx.query(
        f"SELECT case_ref, seq, on_date, step FROM rm_application_steps"
        f" WHERE case_ref IN ({marks}) AND on_date <= ?",
        [*refs, day],
    ):
        if step == "appeal_received" or step in _APPEAL_ENDS:
            key = (str(on), int(seq), str(step))
            held = latest.get(str(ref))
            if held is None or key[:2] > held[:2]:
                latest[str(ref)] = key
    return {ref for ref, (_, _, step) in latest.items() if step == "appeal_received"}
