"""The dwellings page's figures: occupancy per school district, complaints per address."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from projections.complaints import received_between
from projections.db import Transaction
from projections.dwellings import districts_of, municipal_dwellings_on
from projections.event_log import dwelling_addresses
from projections.occupancy import occupied_dwellings_on


@dataclass(frozen=True)
class DistrictOccupancy:
    area: str
    district: str
    total: int
    occupied: int

    @property
    def vacant(self) -> int:
        return self.total - self.occupied


@dataclass(frozen=True)
class AddressComplaints:
    dwelling_ref: str
    address: str
    district: str | None
    received: int
    still_open: int


def occupancy(
    tx: Transaction, day: str, districts: Sequence[tuple[str, str, str]]
) -> list[DistrictOccupancy]:
    """Municipal dwellings in use on the day and how many a case lives in, per district."""
    occupied = occupied_dwellings_on(tx, day)
    totals: dict[str, list[int]] = {code: [0, 0] for code, _, _ in districts}
    for ref, district in municipal_dwellings_on(tx, day):
        if district in totals:
            totals[district][0] += 1
            totals[district][1] += ref in occupied
    return [DistrictOccupancy(area, name, *totals[code]) for code, name, area in districts]


def complaints_by_address(tx: Transaction, first: str, last: str) -> list[AddressComplaints]:
    """Complaints received in [first, last] per dwelling, most first; still open on `last`."""
    counts: dict[str, list[int]] = {}
    for ref, closed_on in received_between(tx, first, last):
        key = "" if ref is None else str(ref)
        entry = counts.setdefault(key, [0, 0])
        entry[0] += 1
        entry[1] += closed_on is None or str(closed_on) > last
    refs = sorted(ref for ref in counts if ref)
    addresses: dict[str, str] = {}
    districts: dict[str, str] = {}
    for start in range(0, len(refs), 400):
        chunk = refs[start : start + 400]
        addresses.update(dwelling_addresses(tx, chunk))
        districts.update(districts_of(tx, chunk))
    rows = [
        AddressComplaints(ref, addresses.get(ref, ""), districts.get(ref), n, still_open)
        for ref, (n, still_open) in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.received, r.dwelling_ref))
