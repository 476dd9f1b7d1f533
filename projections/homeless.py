"""Who is homeless on a day: open cases, not settled, in a stay or with a UFB situation.

Stored as day spans per case with the situation the status report shows (a stay shows as
`temporary`), whether the case is in a stay, and whether the household has children.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.values import HOMELESS_SITUATIONS
from projections import aggregates
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.read_model import ReadModel, Rows

HOMELESS_SPANS = Table(
    "rm_homeless_spans",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("from_on", "TEXT NOT NULL"),
        ("to_on", "TEXT NOT NULL"),
        ("situation", "TEXT NOT NULL"),
        ("in_stay", "INTEGER NOT NULL"),
        ("with_children", "INTEGER NOT NULL"),
    ),
    primary_key=("case_ref", "from_on"),
    indexes=(("to_on", "from_on"),),
)


def rows(timeline: CaseTimeline) -> Rows:
    return {
        HOMELESS_SPANS.name: [
            (
                timeline.case_ref,
                s.from_on,
                s.to_on,
                s.state.situation,
                int(s.state.in_stay),
                int(s.state.with_children),
            )
            for s in timeline.homeless_spans
        ]
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="homeless", stream="case", tables=(HOMELESS_SPANS,), rows=rows
)


@dataclass(frozen=True)
class HomelessCase:
    case_ref: str
    situation: str
    in_stay: bool
    with_children: bool


def homeless_on(tx: Transaction, day: str) -> list[HomelessCase]:
    """Every case homeless on the day."""
    return [
        HomelessCase(str(ref), str(situation), bool(in_stay), bool(with_children))
        for ref, situation, in_stay, with_children in tx.query(
            "SELECT case_ref, situation, in_stay, with_children FROM rm_homeless_spans"
            " WHERE to_on > ? AND from_on <= ?",
            (day, day),
        )
    ]


def status_section(tx: Transaction, day: str) -> dict[str, Any]:
    by_situation = dict.fromkeys(HOMELESS_SITUATIONS, 0)
    with_children = 0
    for key, n in aggregates.as_of(tx, "homeless", day).items():
        if n:
            situation, children = key.rsplit("|", 1)
            by_situation[situation] += n
            with_children += n if children == "1" else 0
    return {
        "total": sum(by_situation.values()),
        "with_children": with_children,
        "by_situation": by_situation,
    }
