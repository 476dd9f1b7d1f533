"""Settlements: which case is settled from when to when, under which tenure, in which dwelling,
and how it ended (moved out, with the reason, or the closing of a privately held one)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.values import GROUPS, MOVE_OUT_REASONS, TENURES
from projections import aggregates
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.history import END_OF_TIME
from projections.read_model import ReadModel, Rows

SETTLEMENTS = Table(
    "rm_settlements",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("settled_on", "TEXT NOT NULL"),
        ("ended_on", "TEXT NOT NULL"),
        ("tenure", "TEXT NOT NULL"),
        ("dwelling_ref", "TEXT"),
        ("ended_by", "TEXT"),
        ("moved_out_reason", "TEXT"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("settled_on",), ("ended_on", "settled_on", "dwelling_ref"), ("dwelling_ref",)),
)


def rows(timeline: CaseTimeline) -> Rows:
    return {
        SETTLEMENTS.name: [
            (
                timeline.case_ref,
                seq,
                s.settled_on,
                s.ended_on or END_OF_TIME,
                s.tenure,
                s.dwelling_ref,
                s.ended_by,
                s.moved_out_reason,
            )
            for seq, s in enumerate(timeline.settlements)
        ]
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="occupancy", stream="case", tables=(SETTLEMENTS,), rows=rows
)


def settled_cases(tx: Transaction, day: str) -> set[str]:
    """Cases settled on the day."""
    return {
        str(ref)
        for (ref,) in tx.query(
            "SELECT case_ref FROM rm_settlements WHERE ended_on > ? AND settled_on <= ?", (day, day)
        )
    }


def settled_between(tx: Transaction, first: str, last: str) -> set[str]:
    """Cases settled on at least one day in [first, last]."""
    return {
        str(ref)
        for (ref,) in tx.query(
            "SELECT case_ref FROM rm_settlements"
            " WHERE ended_on > ? AND settled_on <= ? AND ended_on > settled_on",
            (first, last),
        )
    }


def settlements_section(tx: Transaction, first: str, cutoff: str) -> dict[str, Any]:
    by_tenure = dict.fromkeys(TENURES, 0)
    by_group = dict.fromkeys(GROUPS, 0)
    for tenure, n in aggregates.between(tx, "settled_by_tenure", first, cutoff).items():
        if n:
            by_tenure[tenure] += n
    for group, n in aggregates.between(tx, "settled_by_group", first, cutoff).items():
        if n:
            by_group[group] += n
    return {"total": sum(by_tenure.values()), "by_tenure": by_tenure, "by_group": by_group}


def moved_out_section(tx: Transaction, first: str, cutoff: str) -> dict[str, Any]:
    by_reason = dict.fromkeys(MOVE_OUT_REASONS, 0)
    for reason, n in aggregates.between(tx, "moved_out", first, cutoff).items():
        if n:
            by_reason[reason] += n
    return {"total": sum(by_reason.values()), "by_reason": by_reason}


def occupied_dwellings_on(tx: Transaction, day: str) -> set[str]:
    """Every dwelling a case is settled in on the day."""
    return {
        str(ref)
        for (ref,) in tx.query(
            "SELECT dwelling_ref FROM rm_settlements"
            " WHERE dwelling_ref IS NOT NULL AND settled_on <= ? AND ended_on > ?",
            (day, day),
        )
    }


def occupied_among(tx: Transaction, day: str, refs: Sequence[str]) -> set[str]:
    """Those of the dwellings asked for that a case is settled in on the day."""
    if not refs:
        return set()
    marks = ", ".join("?" for _ in refs)
    return {
        str(ref)
        for (ref,) in tx.query(
            f"SELECT dwelling_ref FROM rm_settlements WHERE dwelling_ref IN ({marks})"
            " AND settled_on <= ? AND ended_on > ?",
            [*refs, day, day],
        )
    }


def dwelling_periods(tx: Transaction) -> dict[str, list[tuple[str, str]]]:
    """Per dwelling, the [settled_on, ended_on) of every settlement in it (a picker shows
    whether a dwelling is free on the day a person chooses)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for ref, start, end in tx.query(
        "SELECT dwelling_ref, settled_on, ended_on FROM rm_settlements"
        " WHERE dwelling_ref IS NOT NULL ORDER BY dwelling_ref, settled_on"
    ):
        out.setdefault(str(ref), []).append((str(start), str(end)))
    return out


def last_vacated_on(tx: Transaction, day: str) -> dict[str, str]:
    """Each dwelling's latest day a settlement in it ended, on or before the day."""
    return {
        str(ref): str(ended_on)
        for ref, ended_on in tx.query(
            "SELECT dwelling_ref, MAX(ended_on) FROM rm_settlements"
            " WHERE dwelling_ref IS NOT NULL AND ended_on <= ? GROUP BY dwelling_ref",
            (day,),
        )
    }
