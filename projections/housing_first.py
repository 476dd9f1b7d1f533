"""Housing First enrolment: each enrolment with its start, and its end with the reason."""

from __future__ import annotations

from collections.abc import Sequence
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


def enrolments_on(tx: Transaction, day: str) -> dict[str, str]:
    """The enrolment date of each case enrolled on the day."""
    return {
        str(ref): str(enrolled_on)
        for ref, enrolled_on in tx.query(
            "SELECT case_ref, enrolled_on FROM rm_housing_first_enrolments"
            " WHERE enrolled_on <= ? AND ended_on > ?",
            (day, day),
        )
    }


def enrolled_among(tx: Transaction, day: str, refs: Sequence[str]) -> set[str]:
    """Those of the cases asked for (at most 400) that are enrolled on the day."""
    marks = ", ".join("?" for _ in refs)
    return {
        str(ref)
        for (ref,) in tx.query(
            "SELECT DISTINCT case_ref FROM rm_housing_first_enrolments"
            f" WHERE enrolled_on <= ? AND ended_on > ? AND case_ref IN ({marks})",
            [day, day, *refs],
        )
    }
