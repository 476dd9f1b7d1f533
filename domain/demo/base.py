"""What every part of the simulation shares: its state, the event queue and how events are
emitted. The parts are layered (support, households, housing); the two actions a lower layer
needs from a higher one are declared here."""

from __future__ import annotations

import heapq
import random
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from domain.demo.people import USERS
from domain.demo.state import CaseState, DwellingState, Event, Scale
from domain.municipality import MOSS


class SimulationBase(ABC):
    def __init__(
        self, seed: int, today: date, scale: Scale, districts: Sequence[str] = MOSS.district_codes
    ) -> None:
        self.districts = tuple(districts)
        self.rng = random.Random(seed)  # noqa: S311 -- reproducible synthetic data, not secrets
        self.today = today
        self.scale = scale
        self.start = date(today.year - scale.years, 3, 1)
        self.hf_start = self.start + timedelta(days=365 * 6)
        self.events: list[Event] = []
        self.heap: list[tuple[date, int, str, str, int]] = []
        self.pushes = 0
        self.cases: dict[str, CaseState] = {}
        self.case_numbers: dict[int, int] = {}
        self.dwellings: dict[str, DwellingState] = {}
        self.waiting: dict[str, CaseState] = {}
        self.enrolled = 0

    # --- plumbing -------------------------------------------------------------------------
    def emit(self, event_type: str, on: date, ref: str, **fields: Any) -> Event:
        event: Event = {"id": f"ev-{len(self.events) + 1:07d}", "type": event_type}
        event["dwelling" if event_type.startswith("Dwelling") else "case"] = ref
        event["on"] = on.isoformat()
        event.update({key: value for key, value in fields.items() if value is not None})
        if self.rng.random() < 0.3:
            team = "housing_first" if event_type.startswith("HousingFirst") else "housing_office"
            event["by"] = self.rng.choice(USERS[fields.get("team", team)])
        self.events.append(event)
        return event

    def later(self, on: date, action: str, ref: str, token: int = 0) -> None:
        if on <= self.today:
            self.pushes += 1
            heapq.heappush(self.heap, (on, self.pushes, action, ref, token))

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def exp_days(self, mean_days: float) -> timedelta:
        return timedelta(days=1 + int(self.rng.expovariate(1 / mean_days)))

    @abstractmethod
    def close(self, day: date, case: CaseState, reason: str) -> None:
        """Close a case (households)."""

    @abstractmethod
    def settle(
        self,
        day: date,
        case: CaseState,
        tenure: str,
        dwelling: DwellingState | None,
        *,
        lease_until: date | None = None,
    ) -> None:
        """Settle a household (housing)."""
