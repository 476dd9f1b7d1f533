"""What a form lets a person pick, named as a person names it: the case's open stay (kind and
start), its open complaints (date and category), and the registered dwellings (address or ref,
district, and whether one is free on the day). Internal refs are only the values sent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from api.pages.forms import Choice
from api.pages.state import norwegian_date
from api.pages.texts import code, text
from domain.application import HistoryItem
from domain.case_rules import CaseState
from domain.refs import escaped_text
from projections.db import Transaction
from projections.dwellings import dwellings_registered_by
from projections.event_log import dwelling_addresses
from projections.history import END_OF_TIME
from projections.occupancy import dwelling_periods

ALL_DWELLINGS = 1_000_000
CHUNK = 400
IN_PARENTHESES = re.compile(r"\(([^()]+)\)\s*$")


def picked(ref: str, label: str) -> Choice:
    """A ref to pick, sent as the page may show it (hidden characters written out)."""
    shown = escaped_text(ref, "")
    return Choice(shown, label, ref if shown != ref else None)


def case_choices(history: Sequence[HistoryItem], state: CaseState) -> dict[str, list[Choice]]:
    """The open stay and the open complaints of the case, as a person reads them."""
    stays: list[Choice] = []
    complaints: list[Choice] = []
    for item in history:
        record = item.record
        if item.retracted_by is not None:
            continue
        if record.type == "TemporaryStayStarted" and record.fields.get("stay") == state.open_stay:
            kind = code("stay_kind", str(record.fields.get("kind")))
            label = f"{kind} {text('pick.since')} {norwegian_date(record.on)}"
            stays = [picked(str(state.open_stay), label)]
        if record.type == "ComplaintReceived":
            ref = str(record.fields.get("complaint"))
            if state.complaints.get(ref, False):
                category = code("complaint_category", str(record.fields.get("category")))
                source = code("complaint_source", str(record.fields.get("source")))
                label = f"{norwegian_date(record.on)} · {category} ({source})"
                complaints.append(picked(ref, label))
    return {"open_stay": stays, "open_complaint": complaints}


@dataclass(frozen=True)
class DwellingOption:
    """A registered dwelling in a picker: `value` is what the input holds once picked."""

    ref: str
    address: str
    label: str  # district · category · rooms · whether it is free on the day
    taken: str  # "start/end start/end": the settlements in it, for the browser to judge any day
    free: bool = True  # on the register's day

    @property
    def value(self) -> str:
        return f"{self.address} ({self.ref})" if self.address else self.ref


# Dwellings the browser's list offers at most (Moss registers 1,017; Oslo about 11,000).
SUGGESTED = 1500


class DwellingRegister:
    """The registered dwellings not retired by the day, each with district and whether a case
    lives in it on the day; finds the one a person picked or typed."""

    def __init__(
        self, tx: Transaction, day: str, district_names: dict[str, str], *, retired: bool = False
    ) -> None:
        _, dwellings = dwellings_registered_by(tx, END_OF_TIME, None, None, ALL_DWELLINGS, 0)
        if not retired:
            dwellings = [d for d in dwellings if d.retired_on > day]
        refs = [d.dwelling_ref for d in dwellings]
        addresses: dict[str, str] = {}
        for start in range(0, len(refs), CHUNK):
            addresses.update(dwelling_addresses(tx, refs[start : start + CHUNK]))
        periods = dwelling_periods(tx)
        self.options: list[DwellingOption] = []
        by_address = sorted(
            dwellings, key=lambda d: (addresses.get(d.dwelling_ref) or "~", d.dwelling_ref)
        )
        for d in by_address:
            taken = periods.get(d.dwelling_ref, [])
            occupied = any(start <= day < end for start, end in taken)
            base = " · ".join(
                (
                    district_names.get(d.district, d.district),
                    code("category", d.category),
                    f"{d.rooms} {text('pick.rooms')}",
                )
            )
            state = text("pick.occupied" if occupied else "pick.free")
            label = f"{base} · {state} {norwegian_date(day)}"
            spans = " ".join(f"{start}/{end}" for start, end in taken)
            address = addresses.get(d.dwelling_ref, "")
            self.options.append(
                DwellingOption(d.dwelling_ref, address, label, spans, free=not occupied)
            )
        self._by_ref = {o.ref: o for o in self.options}
        self.suggested = self._suggested()

    def _suggested(self) -> list[DwellingOption]:
        """What the browser's list offers: every dwelling, or, in a register of more than
        SUGGESTED, the free ones first (by address), then the others, up to SUGGESTED. The
        form takes any registered dwelling typed by address or ref (`find`). A country's
        hundred thousand dwellings made a case page of 15 MB (bench/pages.py)."""
        if len(self.options) <= SUGGESTED:
            return self.options
        free = [o for o in self.options if o.free]
        taken = [o for o in self.options if not o.free]
        return (free + taken)[:SUGGESTED]

    def find(self, typed: str) -> str | None:
        """The ref of the dwelling picked: "address (ref)", a ref, or an address only one
        registered dwelling has (letter case and spacing aside)."""
        typed = " ".join(typed.split())
        inside = IN_PARENTHESES.search(typed)
        if inside and inside.group(1) in self._by_ref:
            return inside.group(1)
        if typed in self._by_ref:
            return typed
        wanted = typed.casefold()
        found = [
            o.ref
            for o in self.options
            if o.address and " ".join(o.address.split()).casefold() == wanted
        ]
        return found[0] if len(found) == 1 else None


_LAST: dict[tuple[int, int, str, bool], DwellingRegister] = {}


def register_as_stored(
    tx: Transaction,
    position: int,
    day: str,
    district_names: dict[str, str],
    *,
    retired: bool = False,
    store: int = 0,
) -> DwellingRegister:
    """The register as of the store's `position`: made again only after something was stored
    (a dwelling's or a settlement's change is one), so that every case page does not read
    every dwelling again."""
    key = (store, position, day, retired)
    found = _LAST.get(key)
    if found is None:
        found = DwellingRegister(tx, day, district_names, retired=retired)
        for old in [k for k in _LAST if k[0] == store and k[3] == retired]:
            del _LAST[old]
        _LAST[key] = found
    return found
