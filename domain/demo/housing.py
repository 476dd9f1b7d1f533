"""Dwellings, settlement and tenancy: registering and retiring dwellings, allocating vacant
ones by priority and fit (never two households in one dwelling), leases, moving out."""

from __future__ import annotations

from datetime import date, timedelta

from domain.demo.households import Households
from domain.demo.people import SURNAMES
from domain.demo.state import (
    CATEGORY_COUNTS,
    DAY,
    LIFETIME_BY_DISTRICT,
    OTHER_BY_DISTRICT,
    PRIORITY_RANK,
    REFERRAL_BY_DISTRICT,
    CaseState,
    DwellingState,
)
from domain.municipality import MOSS
from domain.values import CATEGORIES


class Housing(Households):
    """The dwelling stock and the tenancies in it."""

    def register(self, on: date, category: str) -> None:
        rng = self.rng
        weights: tuple[int, ...] = OTHER_BY_DISTRICT
        if category == "lifetime_standard":
            weights = LIFETIME_BY_DISTRICT
        if category == "referral":
            weights = REFERRAL_BY_DISTRICT
        if self.districts != MOSS.district_codes:
            weights = (1,) * len(self.districts)  # another municipality: no working table
        district = rng.choices(self.districts, weights)[0]
        if category == "small_house":
            rooms = 1
        elif category == "lifetime_standard":
            rooms = rng.choices((1, 2, 3), (3, 5, 2))[0]
        else:
            rooms = rng.choices((1, 2, 3, 4, 5), (25, 35, 28, 10, 2))[0]
        ref = f"B-{len(self.dwellings) + 1:04d}"
        address = f"{rng.choice(SURNAMES)}veien {rng.randint(1, 120)}"
        self.emit(
            "DwellingRegistered", on, ref, category=category, district=district, rooms=rooms,
            address=address if rng.random() < 0.5 else None,
        )  # fmt: skip
        dwelling = DwellingState(ref, category, district, rooms, ready=on)
        dwelling.retire_when_vacant = category == "leased_in" and rng.random() < 0.5
        self.dwellings[ref] = dwelling

    def register_stock(self, day: date) -> None:
        for category in CATEGORIES:
            total = round(CATEGORY_COUNTS[category] * self.scale.dwellings)
            later = total // 3 if category == "referral" else total // 14
            for _ in range(total - later):
                self.register(day, category)
            for _ in range(later):
                on = day + self.days(200, 365 * self.scale.years - 30)
                self.later(on, "register", category)

    def on_register(self, day: date, category: str, _: int) -> None:
        self.register(day, category)

    def on_retire(self, day: date, ref: str, _: int) -> None:
        dwelling = self.dwellings[ref]
        if dwelling.occupant is None and not dwelling.retired:
            dwelling.retired = True
            self.emit("DwellingRetired", day, ref, reason="lease_ended")

    def vacate(self, day: date, dwelling_ref: str) -> None:
        dwelling = self.dwellings[dwelling_ref]
        dwelling.occupant = None
        long_renovation = self.rng.random() < 0.25
        dwelling.ready = day + (self.days(120, 900) if long_renovation else self.days(5, 60))
        if dwelling.retire_when_vacant:
            self.later(day + self.days(3, 30), "retire", dwelling_ref)
            dwelling.ready = date.max

    def settle(
        self,
        day: date,
        case: CaseState,
        tenure: str,
        dwelling: DwellingState | None,
        *,
        lease_until: date | None = None,
    ) -> None:
        if dwelling is not None:
            assert dwelling.occupant is None and not dwelling.retired and dwelling.ready <= day
            dwelling.occupant = case.ref
        if lease_until is None and tenure in ("municipal_rental", "referral_agreement"):
            lease_until = day + timedelta(days=730)
        if lease_until is None and tenure == "private_rental":
            lease_until = day + timedelta(days=1095)
        self.emit(
            "Settled", day, case.ref, tenure=tenure,
            dwelling=dwelling.ref if dwelling else None,
            lease_until=lease_until.isoformat() if lease_until else None,
        )  # fmt: skip
        self.leave_list(case)
        case.stay = None
        case.situation = "other"
        case.tenure, case.settled_on, case.lease_until = tenure, day, lease_until
        case.dwelling = dwelling.ref if dwelling else None
        token = day.toordinal()
        if case.managed:
            assert lease_until is not None
            self.later(lease_until - timedelta(days=60), "lease_check", case.ref, token)
            for action, mean in (
                ("move_out", 6500), ("complaint", 9000), ("caretaker", 5000), ("transfer", 25000),
                ("emergency", 30000),
            ):  # fmt: skip
                self.later(day + self.exp_days(mean), action, case.ref, token)
        elif self.rng.random() < 0.85:
            self.later(day + self.days(20, 150), "close", case.ref, case.serial)
        if case.hf_candidate and not case.hf and day >= self.hf_start:
            self.later(day + self.days(0, 30), "enrol", case.ref)

    def allocate(self, day: date) -> None:
        rng = self.rng
        attempts = [rate for rate in (self.scale.allocations_per_day,) if rng.random() < rate]
        if rng.random() < self.scale.allocations_per_day / 6:
            attempts.append(0.0)  # a referral-agreement dwelling
        if not attempts or not self.waiting:
            return
        vacant = [
            d
            for d in self.dwellings.values()
            if d.occupant is None and not d.retired and d.ready <= day
        ]
        queue = sorted(
            self.waiting.values(),
            key=lambda c: (PRIORITY_RANK[c.priority], c.waiting_since or day, c.ref),
        )
        for attempt in attempts:
            referral = attempt == 0.0
            for case in queue:
                if case.waiting_since is None or case.waiting_since >= day:
                    continue
                fitting = [d for d in vacant if d.occupant is None and _fits(case, d, referral)]
                if fitting:
                    self.move_into(day, case, rng.choice(fitting))
                    break

    def move_into(self, day: date, case: CaseState, dwelling: DwellingState) -> None:
        if case.tenure is not None:  # a transfer: out of the old home the same day
            self.move_out(day, case, "other", transfer=True)
        tenure = "referral_agreement" if dwelling.category == "referral" else "municipal_rental"
        self.settle(day, case, tenure, dwelling)

    def move_out(self, day: date, case: CaseState, reason: str, *, transfer: bool = False) -> None:
        self.emit("MovedOut", day, case.ref, reason=reason)
        if case.dwelling is not None:
            self.vacate(day, case.dwelling)
        case.tenure = case.dwelling = case.lease_until = case.settled_on = None
        case.serial += 1
        if transfer:
            return
        if reason == "deceased":
            if case.hf:
                self.end_hf(day, case, "deceased")
            self.close(day, case, "død")
            return
        if self.rng.random() < 0.4:
            went = self.rng.choice(("friends_family", "unsuitable", "other", "rough"))
            self.change_situation(day, case, went)
        if self.rng.random() < 0.8:
            self.later(day + self.days(5, 90), "close", case.ref, case.serial)

    def on_move_out(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.home_token(token) and case.managed:
            reason = self.rng.choices(
                ("own_choice", "deceased", "lease_ended", "eviction", "other"), (35, 25, 25, 5, 10)
            )[0]
            self.move_out(day, case, reason)

    def on_evict(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.home_token(token) and case.managed:
            self.move_out(day, case, "eviction")

    def on_lease_check(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if not (case.home_token(token) and case.managed and case.lease_until):
            return
        draw = self.rng.random()
        if draw < 0.38:
            case.lease_until += timedelta(days=730)
            self.emit("LeaseRenewed", day, ref, lease_until=case.lease_until.isoformat())
            self.later(case.lease_until - timedelta(days=60), "lease_check", ref, token)
        elif draw < 0.5:
            self.later(max(case.lease_until, day + DAY), "lease_ended", ref, token)

    def on_lease_ended(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.home_token(token) and case.managed:
            self.move_out(day, case, "lease_ended")

    def on_transfer(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        idle = not (case.pending_application or case.pending_appeal or case.waiting_since)
        if case.home_token(token) and idle:
            self.apply(day, case)


def _fits(case: CaseState, dwelling: DwellingState, referral: bool) -> bool:
    """Whether a household fits a dwelling: size, adaptation, and the kind of neighbourhood."""
    if (dwelling.category == "referral") != referral:
        return False
    if case.dwelling == dwelling.ref:
        return False
    need = 1 + (case.children + 1) // 2 if case.children else (2 if case.adults > 1 else 1)
    if not need <= dwelling.rooms <= need + 2:
        return False
    if referral:
        return case.group in ("families", "other", "refugee", "refugee_ukraine")
    if case.group.endswith("_adapted"):
        return dwelling.category == "lifetime_standard"
    if dwelling.category == "lifetime_standard":
        return False
    if case.group == "mental_health_substance":
        return dwelling.category in ("ordinary_municipal", "small_house", "leased_in")
    return True
