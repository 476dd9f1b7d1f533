"""Housing First enrolment: each enrolment with its start, and its end with the reason."""

from __future__ import annotations

from typing import Any

from projections import aggregates
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.history import END_OF_TIME
from projections.read_model import ReadModel, Rows

ENROLMENTS = Table(
    "rm_housing_first_enrolments",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("enrolled_on", "TEXT NOT NULL"),
        ("ended_on", "TEXT NOT NULL"),
        ("end_reason", "TEXT"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("enrolled_on",), ("ended_on", "enrolled_on")),
)


def rows(timeline: CaseTimeline) -> Rows:
    return {
        ENROLMENTS.name: [
            (timeline.case_ref, seq, e.enrolled_on, e.ended_on or END_OF_TIME, e.end_reason)
            for seq, e in enumerate(timeline.enrolments)
        ]
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="housing_first", stream="case", tables=(ENROLMENTS,), rows=rows
)


def enrolled_on(tx: Transaction, day: str) -> int:
    return sum(aggregates.as_of(tx, "enrolled", day).values())


def annual_section(tx: Transaction, first: str, cutoff: str) -> dict[str, Any]:
    return {
        "new": sum(aggregates.between(tx, "enrolments_new", first, cutoff).values()),
        "ended": sum(aggregates.between(tx, "enrolments_ended", first, cutoff).values()),
        "enrolled_end": enrolled_on(tx, cutoff),
    }
