"""What the simulation keeps track of: dwellings, households, scales, and the municipality's
fixed tables (dwellings per category and school district, group weights)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

Event = dict[str, Any]
DAY = timedelta(days=1)

GROUP_WEIGHTS = {
    "families": 25, "families_adapted": 8, "adults_adapted": 15,
    "mental_health_substance": 22, "other": 20, "refugee": 6, "refugee_ukraine": 4,
}  # fmt: skip
CATEGORY_COUNTS = {
    "ordinary_co_owned": 220, "ordinary_municipal": 393, "lifetime_standard": 208,
    "leased_in": 10, "small_house": 4, "emergency_families": 0,
    "emergency_substance_mental": 0, "referral": 152,
}  # fmt: skip
# Dwellings per school district (the municipality's working table), lifetime standard apart.
OTHER_BY_DISTRICT = (159, 11, 28, 24, 37, 58, 84, 36, 43, 58, 32, 0, 40, 13)
LIFETIME_BY_DISTRICT = (52, 0, 0, 0, 0, 52, 57, 22, 0, 0, 0, 0, 25, 0)
REFERRAL_BY_DISTRICT = tuple(w + 8 for w in OTHER_BY_DISTRICT)
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2}
CLOSE_REASONS = ("ikke lenger behov", "flyttet fra kommunen", "ingen kontakt", "egen løsning")


@dataclass
class DwellingState:
    ref: str
    category: str
    district: str
    rooms: int
    occupant: str | None = None
    ready: date = date.min
    retired: bool = False
    retire_when_vacant: bool = False


@dataclass
class CaseState:
    ref: str
    adults: int
    children: int
    group: str
    situation: str
    open: bool = True
    pending_application: bool = False
    pending_appeal: bool = False
    appealable: bool = False
    waiting_since: date | None = None
    priority: str = "normal"
    tenure: str | None = None
    dwelling: str | None = None
    lease_until: date | None = None
    stay: str | None = None
    stays: int = 0
    settled_on: date | None = None
    hf: bool = False
    hf_since: date | None = None
    hf_candidate: bool = False
    complaints: dict[str, bool] = field(default_factory=dict)
    serial: int = 0

    @property
    def managed(self) -> bool:
        return self.tenure in ("municipal_rental", "referral_agreement")

    def waiting_token(self, token: int) -> bool:
        return (
            self.open and self.waiting_since is not None and self.waiting_since.toordinal() == token
        )

    def home_token(self, token: int) -> bool:
        return self.open and self.settled_on is not None and self.settled_on.toordinal() == token

    @property
    def ufb(self) -> bool:
        return self.situation in ("temporary", "friends_family", "rough", "institution")


@dataclass(frozen=True)
class Scale:
    years: int
    dwellings: float
    arrivals_per_day: float
    allocations_per_day: float
    hf_cap: int


SCALES = {
    "moss": Scale(10, 1.0, 0.26, 0.16, 30),
    "small": Scale(4, 0.1, 0.05, 0.07, 5),
}
