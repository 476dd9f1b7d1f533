"""The dwelling aggregate: a municipal or referral dwelling and who lives in it, when."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

from domain.base import TextAggregate as Aggregate
from domain.case_rules import DwellingFacts
from domain.errors import RuleBroken
from domain.records import EventRecord

Interval = tuple[date, date | None]  # [start, end): from the Settled day to the day before MovedOut


def dwelling_id(ref: str) -> str:
    """The aggregate id of a dwelling ref."""
    return f"dwelling:{ref}"


class Dwelling(Aggregate):
    """A dwelling holds one household at a time; it is checked here, across all cases."""

    class DwellingRegistered(Aggregate.Created):
        ref: str
        event_id: str
        on: date
        by: str
        recorded_at: datetime
        fields: dict[str, Any]
        sealed: str | None

    class DwellingRetired(Aggregate.Event):
        event_id: str
        on: date
        by: str
        recorded_at: datetime
        fields: dict[str, Any]
        sealed: str | None

        def apply(self, aggregate: Aggregate) -> None:
            cast(Dwelling, aggregate).retire_entry = self
            cast(Dwelling, aggregate).retired_on = self.on

    class OccupancyChanged(Aggregate.Event):
        """Internal: the settlements of one case in this dwelling (not an interchange event)."""

        case: str
        intervals: list[list[date | None]]

        def apply(self, aggregate: Aggregate) -> None:
            dwelling = cast(Dwelling, aggregate)
            intervals = [(cast(date, a), b) for a, b in self.intervals]
            if intervals:
                dwelling.occupancy[self.case] = intervals
            else:
                dwelling.occupancy.pop(self.case, None)

    def __init__(
        self,
        ref: str,
        event_id: str,
        on: date,
        by: str,
        recorded_at: datetime,
        fields: dict[str, Any],
        sealed: str | None,
    ) -> None:
        self.ref = ref
        self.registered = Dwelling.Registration(event_id, on, by, recorded_at, fields, sealed)
        self.retired_on: date | None = None
        self.retire_entry: Dwelling.DwellingRetired | None = None
        self.occupancy: dict[str, list[Interval]] = {}

    class Registration:
        def __init__(
            self,
            event_id: str,
            on: date,
            by: str,
            recorded_at: datetime,
            fields: Mapping[str, Any],
            sealed: str | None,
        ) -> None:
            self.event_id = event_id
            self.on = on
            self.by = by
            self.recorded_at = recorded_at
            self.fields = fields
            self.sealed = sealed

    @classmethod
    def register(
        cls, record: EventRecord, *, by: str, now: datetime, sealed: str | None
    ) -> Dwelling:
        return cls._create(
            cls.DwellingRegistered,
            id=dwelling_id(record.ref),
            ref=record.ref,
            event_id=record.id,
            on=record.on,
            by=by,
            recorded_at=now,
            fields=dict(record.fields),
            sealed=sealed,
        )

    def facts(self) -> DwellingFacts:
        return DwellingFacts(
            self.ref, self.registered.on, self.registered.fields["category"], self.retired_on
        )

    def entries(self) -> list[tuple[str, date, str, datetime, Mapping[str, Any], str | None, str]]:
        """(event id, on, by, recorded at, fields, sealed, type) of its interchange events."""
        reg = self.registered
        out = [
            (
                reg.event_id,
                reg.on,
                reg.by,
                reg.recorded_at,
                reg.fields,
                reg.sealed,
                "DwellingRegistered",
            )
        ]
        if self.retire_entry is not None:
            r = self.retire_entry
            out.append(
                (r.event_id, r.on, r.by, r.recorded_at, r.fields, r.sealed, "DwellingRetired")
            )
        return out

    # --- deciding --------------------------------------------------------------------------------

    def retire(self, record: EventRecord, *, by: str, now: datetime, sealed: str | None) -> None:
        """Retire the dwelling; refused while a case is settled in it on or after that day."""
        if self.retired_on is not None:
            raise RuleBroken(f"dwelling {self.ref} is already retired from {self.retired_on}")
        if record.on < self.registered.on:
            raise RuleBroken(f"dwelling {self.ref} is registered only from {self.registered.on}")
        for case, intervals in sorted(self.occupancy.items()):
            for start, end in intervals:
                if end is None or end > record.on:
                    raise RuleBroken(
                        f"dwelling {self.ref} holds {case} from {start}"
                        + (f" to {end}" if end else "")
                        + f": it cannot be retired on {record.on}"
                    )
        self.trigger_event(
            Dwelling.DwellingRetired,
            event_id=record.id,
            on=record.on,
            by=by,
            recorded_at=now,
            fields=dict(record.fields),
            sealed=sealed,
        )

    def check_occupancy(self, case: str, intervals: Sequence[Interval]) -> None:
        """Refuse settlements of `case` that overlap another household's or the retirement."""
        for start, end in intervals:
            if start < self.registered.on:
                raise RuleBroken(
                    f"dwelling {self.ref} is registered only from {self.registered.on}"
                )
            if self.retired_on is not None and (end is None or end > self.retired_on):
                raise RuleBroken(f"dwelling {self.ref} is retired from {self.retired_on}")
            for other, theirs in sorted(self.occupancy.items()):
                if other == case:
                    continue
                for o_start, o_end in theirs:
                    if (o_end is None or start < o_end) and (end is None or o_start < end):
                        raise RuleBroken(
                            f"dwelling {self.ref} holds {other} from {o_start}"
                            + (f" to the day before {o_end}" if o_end else "")
                        )

    def occupy(self, case: str, intervals: Sequence[Interval]) -> None:
        """Record the settlements of `case` here (already checked with check_occupancy)."""
        self.trigger_event(
            Dwelling.OccupancyChanged, case=case, intervals=[[a, b] for a, b in intervals]
        )
