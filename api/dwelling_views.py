"""Dwellings and the waiting list as of a day, from the read models' tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from api.models import DwellingOut, WaitingListEntry
from projections.case_status import profiles_on
from projections.db import Transaction
from projections.history import END_OF_TIME, days_between
from projections.waiting_list import members_on

PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2}


def _occupied(tx: Transaction, day: str, refs: Sequence[str]) -> set[str]:
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


def _dwelling(row: tuple[Any, ...], occupied: set[str]) -> DwellingOut:
    ref, category, district, rooms, registered_on, retired_on, reason = row
    return DwellingOut(
        ref=ref,
        category=category,
        district=district,
        rooms=rooms,
        registered_on=registered_on,
        retired_on=None if retired_on == END_OF_TIME else retired_on,
        retirement_reason=reason,
        occupied=ref in occupied,
    )


COLUMNS = "dwelling_ref, category, district, rooms, registered_on, retired_on, retirement_reason"


def list_dwellings(
    tx: Transaction,
    day: str,
    category: str | None,
    district: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[DwellingOut]]:
    """Dwellings registered by the day, ordered by ref, with whether a case lives there."""
    conditions, params = ["registered_on <= ?"], [day]
    for column, value in (("category", category), ("district", district)):
        if value is not None:
            conditions.append(f"{column} = ?")
            params.append(value)
    where = " AND ".join(conditions)
    total = tx.query_one(f"SELECT COUNT(*) FROM rm_dwellings WHERE {where}", params)
    rows = tx.query(
        f"SELECT {COLUMNS} FROM rm_dwellings WHERE {where} ORDER BY dwelling_ref LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    occupied = _occupied(tx, day, [str(row[0]) for row in rows])
    return (int(total[0]) if total else 0), [_dwelling(row, occupied) for row in rows]


def one_dwelling(tx: Transaction, day: str, ref: str) -> DwellingOut | None:
    row = tx.query_one(f"SELECT {COLUMNS} FROM rm_dwellings WHERE dwelling_ref = ?", [ref])
    return None if row is None else _dwelling(row, _occupied(tx, day, [ref]))


def waiting_list(tx: Transaction, as_of: date, hidden: frozenset[str]) -> list[WaitingListEntry]:
    """Members on the day, by priority and then by how long they have waited."""
    day = as_of.isoformat()
    members = [m for m in members_on(tx, day) if m[0] not in hidden]
    profiles = profiles_on(tx, ((ref, day) for ref, _, _ in members))
    entries = [
        WaitingListEntry(
            case=ref,
            priority=priority,
            joined_on=date.fromisoformat(joined_on),
            days_waiting=days_between(joined_on, day),
            group=profiles[(ref, day)].group,
        )
        for ref, priority, joined_on in members
    ]
    return sorted(entries, key=lambda e: (PRIORITY_ORDER.get(e.priority, 9), e.joined_on, e.case))
