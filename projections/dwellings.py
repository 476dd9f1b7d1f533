"""Dwellings: category, district, when registered and when retired; and how many of the
municipal ones a case is settled in on a day."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.values import CATEGORIES
from projections.db import Table, Transaction
from projections.history import END_OF_TIME, Recorded
from projections.read_model import ReadModel, Rows

DWELLINGS = Table(
    "rm_dwellings",
    (
        ("dwelling_ref", "TEXT NOT NULL"),
        ("category", "TEXT NOT NULL"),
        ("district", "TEXT NOT NULL"),
        ("rooms", "INTEGER NOT NULL"),
        ("registered_on", "TEXT NOT NULL"),
        ("retired_on", "TEXT NOT NULL"),
        ("retirement_reason", "TEXT"),
    ),
    primary_key=("dwelling_ref",),
    indexes=(("retired_on", "registered_on"),),
)

NOT_MUNICIPAL = "referral"


@dataclass(frozen=True)
class DwellingRecord:
    dwelling_ref: str
    registration: Recorded | None
    retirement: Recorded | None


def dwelling_record(dwelling_ref: str, history: Iterable[Recorded]) -> DwellingRecord:
    """A dwelling's registration and retirement, from its recorded events."""
    by_type = {e.type: e for e in sorted(history, key=lambda e: (e.on, e.position))}
    return DwellingRecord(
        dwelling_ref, by_type.get("DwellingRegistered"), by_type.get("DwellingRetired")
    )


def rows(record: DwellingRecord) -> Rows:
    registered, retired = record.registration, record.retirement
    if registered is None:
        return {DWELLINGS.name: []}
    return {
        DWELLINGS.name: [
            (
                record.dwelling_ref,
                registered.field("category"),
                registered.field("district"),
                registered.field("rooms"),
                registered.on,
                retired.on if retired else END_OF_TIME,
                retired.field("reason") if retired else None,
            )
        ]
    }


READ_MODEL = ReadModel[DwellingRecord](
    name="dwellings", stream="dwelling", tables=(DWELLINGS,), rows=rows
)


def status_section(tx: Transaction, day: str, districts: Sequence[str]) -> dict[str, Any]:
    occupied_refs = {
        str(ref)
        for (ref,) in tx.query(
            "SELECT dwelling_ref FROM rm_settlements"
            " WHERE dwelling_ref IS NOT NULL AND ended_on > ? AND settled_on <= ?",
            (day, day),
        )
    }
    by_category = dict.fromkeys(CATEGORIES, 0)
    by_district = {d: {"lifetime_standard": 0, "other": 0} for d in districts}
    occupied = 0
    for ref, category, district in tx.query(
        "SELECT dwelling_ref, category, district FROM rm_dwellings"
        " WHERE retired_on > ? AND registered_on <= ?",
        (day, day),
    ):
        by_category[category] += 1
        if category == NOT_MUNICIPAL:
            continue
        if district in by_district:
            by_district[district][
                "lifetime_standard" if category == "lifetime_standard" else "other"
            ] += 1
        if ref in occupied_refs:
            occupied += 1
    total_municipal = sum(n for category, n in by_category.items() if category != NOT_MUNICIPAL)
    return {
        "total_municipal": total_municipal,
        "by_category": by_category,
        "by_district": by_district,
        "occupied": occupied,
        "vacant": total_municipal - occupied,
    }


def earliest_dwelling_day(tx: Transaction) -> str | None:
    row = tx.query_one("SELECT MIN(registered_on) FROM rm_dwellings")
    return None if row is None or row[0] is None else str(row[0])
