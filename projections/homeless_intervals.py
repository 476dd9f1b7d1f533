"""Homeless intervals: the runs of consecutive days on which a case is homeless (counted in the
status report's `homeless.total`), whatever its situation, stay or household on those days.

Derived from the homeless day spans of the case's timeline by joining the spans that touch, so
that "days homeless" and "the first homeless day after a day" are one row per run.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.history import Span
from projections.read_model import ReadModel, Rows

S = TypeVar("S")

INTERVALS = Table(
    "rm_homeless_intervals",
    (("case_ref", "TEXT NOT NULL"), ("from_on", "TEXT NOT NULL"), ("to_on", "TEXT NOT NULL")),
    primary_key=("case_ref", "from_on"),
    indexes=(("to_on", "from_on"),),
)


def intervals(spans: Iterable[Span[S]]) -> list[tuple[str, str]]:
    """[from_on, to_on) runs of the spans (in day order), touching spans joined."""
    runs: list[tuple[str, str]] = []
    for span in spans:
        if runs and runs[-1][1] == span.from_on:
            runs[-1] = (runs[-1][0], span.to_on)
        else:
            runs.append((span.from_on, span.to_on))
    return runs


def rows(timeline: CaseTimeline) -> Rows:
    return {
        INTERVALS.name: [
            (timeline.case_ref, from_on, to_on)
            for from_on, to_on in intervals(timeline.homeless_spans)
        ]
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="homeless_intervals", stream="case", tables=(INTERVALS,), rows=rows
)


def overlapping(tx: Transaction, first: str, last: str) -> list[tuple[str, str, str]]:
    """(case_ref, from_on, to_on) of every interval holding at least one day in [first, last]."""
    return [
        (str(ref), str(from_on), str(to_on))
        for ref, from_on, to_on in tx.query(
            "SELECT case_ref, from_on, to_on FROM rm_homeless_intervals"
            " WHERE to_on > ? AND from_on <= ?",
            (first, last),
        )
    ]


def cases_homeless_between(tx: Transaction, first: str, last: str) -> set[str]:
    """Cases homeless on at least one day in [first, last]."""
    return {ref for ref, _, _ in overlapping(tx, first, last)}
