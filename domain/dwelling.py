"""The dwelling aggregate: a municipal or referral dwelling and who lives in it, when.

Every rule about a dwelling is decided here: it is registered once, from its registration
day; a case settles only in a registered, unretired dwelling that fits its tenure
(`DwellingFacts.check_can_settle`, asked by the case's rules); it holds one household at a
time (`Dwelling.check_can_hold`, asked by the unit of work with the case's settlements);
it is retired only when no household lives in it on or after that day (`Dwelling.retire`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from domain.base import TextAggregate as Aggregate
from domain.errors import RuleBroken
from domain.records import EventRecord

Interval = tuple[date, date | None]  # [start, end): from the Settled day to the day before MovedOut


def dwelling_id(ref: str) -> str:
    """The aggregate id of a dwelling ref."""
    return f"dwelling:{ref}"


@dataclass(frozen=True)
class DwellingFacts:
    """A dwelling's registration and retirement, and the rules that follow from them alone."""

    ref: str
    registered_on: date
    category: str
    retired_on: date | None

    def check_registered_by(self, on: date) -> None:
        """Refuse a day before the registration."""
        if self.registered_on > on:
            raise RuleBroken(
                f"dwelling {self.ref} is registered only from {self.registered_on}",
                rule="dwelling_not_yet_registered",
                dwelling=self.ref,
                on=on,
                registered_on=self.registered_on,
            )

    def check_can_settle(self, on: date, tenure: str) -> None:
        """Refuse a settlement from `on` under `tenure`: before the registration, once
        retired, or in a dwelling of a category the tenure does not allow."""
        self.check_registered_by(on)
        if self.retired_on is not None and self.retired_on <= on:
            raise self._retired()
        if tenure == "municipal_rental" and self.category == "referral":
            raise RuleBroken(
                f"municipal_rental needs a municipal dwelling; {self.ref} is a referral dwelling",
                rule="tenure_needs_municipal_dwelling",
                dwelling=self.ref,
                tenure=tenure,
                category=self.category,
            )
        if tenure == "referral_agreement" and self.category != "referral":
            raise RuleBroken(
                f"referral_agreement needs a referral dwelling; {self.ref} is {self.category}",
                rule="tenure_needs_referral_dwelling",
                dwelling=self.ref,
                tenure=tenure,
                category=self.category,
            )

    def check_open_during(self, start: date, end: date | None) -> None:
        """Refuse a stay in the dwelling over [start, end) that reaches its retirement."""
        if self.retired_on is not None and (end is None or end > self.retired_on):
            raise self._retired(start=start, end=end)

    def _retired(self, **params: Any) -> RuleBroken:
        return RuleBroken(
            f"dwelling {self.ref} is retired from {self.retired_on}",
            rule="dwelling_retired",
            dwelling=self.ref,
            retired_on=self.retired_on,
            **params,
        )


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

    @staticmethod
    def check_new(ref: str, existing: Dwelling | None) -> None:
        """Refuse a second registration of a dwelling ref."""
        if existing is not None:
            raise RuleBroken(
                f"dwelling {ref} is already registered",
                rule="dwelling_already_registered",
                dwelling=ref,
            )

    def retire(self, record: EventRecord, *, by: str, now: datetime, sealed: str | None) -> None:
        """Retire the dwelling; refused while a case is settled in it on or after that day."""
        if self.retired_on is not None:
            raise RuleBroken(
                f"dwelling {self.ref} is already retired from {self.retired_on}",
                rule="dwelling_already_retired",
                dwelling=self.ref,
                retired_on=self.retired_on,
            )
        self.facts().check_registered_by(record.on)
        for case, intervals in sorted(self.occupancy.items()):
            for start, end in intervals:
                if end is None or end > record.on:
                    raise RuleBroken(
                        f"dwelling {self.ref} holds {case} from {start}"
                        + (f" to {end}" if end else "")
                        + f": it cannot be retired on {record.on}",
                        rule="dwelling_held_at_retirement",
                        dwelling=self.ref,
                        other_case=case,
                        start=start,
                        end=end,
                        on=record.on,
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

    def check_can_hold(self, case: str, intervals: Sequence[Interval]) -> None:
        """Refuse settlements of `case` here, each [start, end), that reach the retirement or
        overlap another household's: a dwelling holds one household at a time.

        That each settlement starts on or after the registration and fits the dwelling was
        decided when it was settled (`DwellingFacts.check_can_settle`).
        """
        facts = self.facts()
        for start, end in intervals:
            facts.check_open_during(start, end)
            for other, theirs in sorted(self.occupancy.items()):
                if other == case:
                    continue
                for o_start, o_end in theirs:
                    if (o_end is None or start < o_end) and (end is None or o_start < end):
                        raise RuleBroken(
                            f"dwelling {self.ref} holds {other} from {o_start}"
                            + (f" to the day before {o_end}" if o_end else ""),
                            rule="dwelling_occupied",
                            dwelling=self.ref,
                            case=case,
                            other_case=other,
                            start=o_start,
                            end=o_end,
                        )

    def holds(self, case: str, intervals: Sequence[Interval]) -> bool:
        """Whether these are already the settlements of `case` recorded here."""
        return self.occupancy.get(case, []) == list(intervals)

    def occupy(self, case: str, intervals: Sequence[Interval]) -> None:
        """Record the settlements of `case` here (already checked with check_can_hold)."""
        self.trigger_event(
            Dwelling.OccupancyChanged, case=case, intervals=[[a, b] for a, b in intervals]
        )
