"""Dwellings: category, district, when registered and when retired; and how many of the
municipal ones a case is settled in on a day."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from domain.values import CATEGORIES
from projections import aggregates
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
    indexes=(("retired_on", "registered_on", "category", "district"),),
)

NOT_MUNICIPAL = "referral"


@dataclass(frozen=True)
class DwellingRecord:
    dwelling_ref: str
    registration: Recorded | None
    retirement: Recorded | None


class DwellingReplay:
    """A dwelling's latest registration and retirement by (on, recording order), kept up to
    date one event at a time: any later-recorded event can continue it."""

    def __init__(self, dwelling_ref: str) -> None:
        self.dwelling_ref = dwelling_ref
        self.position = 0
        self._latest: dict[str, Recorded] = {}

    def can_continue(self, events: Iterable[Recorded]) -> bool:
        position = self.position
        for e in events:
            if e.position <= position:
                return False
            position = e.position
        return True

    def extend(self, events: Iterable[Recorded]) -> None:
        for e in events:
            if e.type in _KEPT:
                held = self._latest.get(e.type)
                if held is None or (e.on, e.position) >= (held.on, held.position):
                    self._latest[e.type] = e
            self.position = max(self.position, e.position)

    def subject(self) -> DwellingRecord:
        return DwellingRecord(
            self.dwelling_ref,
            self._latest.get("DwellingRegistered"),
            self._latest.get("DwellingRetired"),
        )


_KEPT = ("DwellingRegistered", "DwellingRetired")


def dwelling_replay(dwelling_ref: str, history: Iterable[Recorded]) -> DwellingReplay:
    """Replay a dwelling's recorded events (any order) from the start."""
    replay = DwellingReplay(dwelling_ref)
    replay.extend(sorted(history, key=lambda e: e.position))
    return replay


def dwelling_record(dwelling_ref: str, history: Iterable[Recorded]) -> DwellingRecord:
    """A dwelling's registration and retirement, from its recorded events."""
    return dwelling_replay(dwelling_ref, history).subject()


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
    by_category = dict.fromkeys(CATEGORIES, 0)
    by_district = {d: {"lifetime_standard": 0, "other": 0} for d in districts}
    for key, n in aggregates.as_of(tx, "dwellings", day).items():
        if not n:
            continue
        category, district = key.split("|", 1)
        by_category[category] += n
        if category != NOT_MUNICIPAL and district in by_district:
            column = "lifetime_standard" if category == "lifetime_standard" else "other"
            by_district[district][column] += n
    total_municipal = sum(n for category, n in by_category.items() if category != NOT_MUNICIPAL)
    occupied_count = sum(aggregates.as_of(tx, "occupied", day).values())
    return {
        "total_municipal": total_municipal,
        "by_category": by_category,
        "by_district": by_district,
        "occupied": occupied_count,
        "vacant": total_municipal - occupied_count,
    }


def earliest_dwelling_day(tx: Transaction) -> str | None:
    row = tx.query_one("SELECT MIN(registered_on) FROM rm_dwellings")
    return None if row is None or row[0] is None else str(row[0])


@dataclass(frozen=True)
class Dwelling:
    """A registered dwelling as the read model holds it (`retired_on` END_OF_TIME until it is
    retired)."""

    dwelling_ref: str
    category: str
    district: str
    rooms: int
    registered_on: str
    retired_on: str
    retirement_reason: str | None


_COLUMNS = "dwelling_ref, category, district, rooms, registered_on, retired_on, retirement_reason"


def _dwelling(row: tuple[Any, ...]) -> Dwelling:
    ref, category, district, rooms, registered_on, retired_on, reason = row
    return Dwelling(
        str(ref),
        str(category),
        str(district),
        int(rooms),
        str(registered_on),
        str(retired_on),
        None if reason is None else str(reason),
    )


def dwellings_registered_by(
    tx: Transaction,
    day: str,
    category: str | None,
    district: str | None,
    limit: int,
    offset: int,
) -> tuple[int, list[Dwelling]]:
    """How many dwellings of the category and district were registered by the day, and one
    page of them, ordered by ref."""
    conditions, params = ["registered_on <= ?"], [day]
    for column, value in (("category", category), ("district", district)):
        if value is not None:
            conditions.append(f"{column} = ?")
            params.append(value)
    where = " AND ".join(conditions)
    total = tx.query_one(f"SELECT COUNT(*) FROM rm_dwellings WHERE {where}", params)
    rows = tx.query(
        f"SELECT {_COLUMNS} FROM rm_dwellings WHERE {where} ORDER BY dwelling_ref LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return (int(total[0]) if total else 0), [_dwelling(row) for row in rows]


def dwelling(tx: Transaction, ref: str) -> Dwelling | None:
    """The dwelling with this ref, if it is registered."""
    row = tx.query_one(f"SELECT {_COLUMNS} FROM rm_dwellings WHERE dwelling_ref = ?", [ref])
    return None if row is None else _dwelling(row)


def municipal_dwellings_on(tx: Transaction, day: str) -> list[tuple[str, str]]:
    """(dwelling_ref, district) of every municipal dwelling in use on the day."""
    return [
        (str(ref), str(district))
        for ref, district in tx.query(
            "SELECT dwelling_ref, district FROM rm_dwellings"
            " WHERE registered_on <= ? AND retired_on > ? AND category <> ?",
            (day, day, NOT_MUNICIPAL),
        )
    ]


def districts_of(tx: Transaction, refs: Sequence[str]) -> dict[str, str]:
    """The district of each dwelling asked for (at most 400 refs)."""
    marks = ", ".join("?" for _ in refs)
    return {
        str(ref): str(district)
        for ref, district in tx.query(
            f"SELECT dwelling_ref, district FROM rm_dwellings WHERE dwelling_ref IN ({marks})",
            list(refs),
        )
    }


def municipal_dwellings_in_use(tx: Transaction, day: str) -> list[Dwelling]:
    """Every municipal dwelling registered by the day and not retired on it, by ref."""
    return [
        _dwelling(row)
        for row in tx.query(
            f"SELECT {_COLUMNS} FROM rm_dwellings WHERE registered_on <= ? AND retired_on > ?"
            " AND category <> ? ORDER BY dwelling_ref",
            (day, day, NOT_MUNICIPAL),
        )
    ]
