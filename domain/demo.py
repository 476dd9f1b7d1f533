"""Synthetic demo data: a Moss-like municipality's events, obeying every rule of EVENTS.md.

``generate(seed, today=…)`` runs a small discrete-event simulation day by day from about ten
years before `today`: dwellings are registered (and a few retired), existing tenancies are taken
over when the system is put into use, households apply, are decided on, appeal, wait, stay in
temporary housing, are settled by tenure (municipal dwellings allocated by priority and fit,
never two households in one dwelling), renew leases, move out, complain, are followed up by the
teams (Housing First clients about weekly), are closed and sometimes come back. Everything is
checked against the simulated state before it is emitted, so the stream never breaks a rule.
Afterwards a few follow-ups are recorded some days late (backdated) and a few events that nothing
depends on are retracted. The same seed and `today` give the same events.

Names are synthetic (placeholder-style surnames); national ids are valid synthetic
fødselsnumre (mod-11 control digits, the official century rule for individual numbers).
"""

from __future__ import annotations

import heapq
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from domain.values import CATEGORIES, DISTRICTS

Event = dict[str, Any]
DAY = timedelta(days=1)

FIRST_NAMES = (
    "Kari", "Ola", "Ingrid", "Lars", "Sofie", "Jonas", "Nora", "Emil", "Hanne", "Per", "Mari",
    "Knut", "Astrid", "Sindre", "Ida", "Tor", "Aisha", "Mohammed", "Olena", "Andrii", "Fatima",
    "Yonas", "Amina", "Piotr", "Agnieszka", "Liv", "Geir", "Tone", "Bjørn", "Sara", "Jan",
)  # fmt: skip
SURNAMES = (
    "Nordmann", "Eksempelsen", "Prøvesen", "Testrud", "Demoberg", "Fiktivdal", "Liksomvik",
    "Utprøvingsen", "Modellstad", "Øvingsli", "Skissebakken", "Utkastsen", "Tenkeland",
    "Forsøkshaug", "Påskuddsen", "Mønsterud",
)  # fmt: skip
USERS = {
    "housing_office": ("bs.nora", "bs.erik", "bs.sara"),
    "housing_first": ("hf.kari", "hf.jonas", "hf.aisha"),
    "caretaker": ("mv.ali", "mv.per"),
    "nav": ("nav.liv", "nav.tor"),
    "other": ("bs.nora",),
}
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


def _control(digits: list[int], weights: tuple[int, ...]) -> int:
    value = 11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if value == 11 else value


def national_id(rng: random.Random, born: date) -> str:
    """A valid synthetic fødselsnummer for `born`, individual number by the century rule
    (000–499: 1900–1999; 900–999: 1940–1999; 500–999: 2000–2039)."""
    if 1900 <= born.year <= 1999:
        ranges = [(0, 499)] + ([(900, 999)] if born.year >= 1940 else [])
    elif 2000 <= born.year <= 2039:
        ranges = [(500, 999)]
    else:
        raise ValueError(f"no individual numbers for {born.year}")
    while True:
        low, high = rng.choice(ranges)
        digits = [int(c) for c in f"{born:%d%m}{born.year % 100:02d}{rng.randint(low, high):03d}"]
        k1 = _control(digits, (3, 7, 6, 1, 8, 9, 4, 5, 2))
        if k1 == 10:
            continue  # a remainder giving 10 is invalid: pick another individual number
        k2 = _control([*digits, k1], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
        if k2 == 10:
            continue
        return "".join(map(str, [*digits, k1, k2]))


@dataclass
class _Dwelling:
    ref: str
    category: str
    district: str
    rooms: int
    occupant: str | None = None
    ready: date = date.min
    retired: bool = False
    retire_when_vacant: bool = False


@dataclass
class _Case:
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
class _Scale:
    years: int
    dwellings: float
    arrivals_per_day: float
    allocations_per_day: float
    hf_cap: int


SCALES = {
    "moss": _Scale(10, 1.0, 0.26, 0.16, 30),
    "small": _Scale(4, 0.1, 0.05, 0.07, 5),
}


class _Simulation:
    def __init__(self, seed: int, today: date, scale: _Scale) -> None:
        self.rng = random.Random(seed)  # noqa: S311 -- reproducible synthetic data, not secrets
        self.today = today
        self.scale = scale
        self.start = date(today.year - scale.years, 3, 1)
        self.hf_start = self.start + timedelta(days=365 * 6)
        self.events: list[Event] = []
        self.heap: list[tuple[date, int, str, str, int]] = []
        self.pushes = 0
        self.cases: dict[str, _Case] = {}
        self.case_numbers: dict[int, int] = {}
        self.dwellings: dict[str, _Dwelling] = {}
        self.waiting: dict[str, _Case] = {}
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

    def run(self) -> list[Event]:
        day = self.start
        self.register_stock(day)
        while day <= self.today:
            if day < self.start + timedelta(days=60):
                self.take_over(day)
            self.arrivals(day)
            while self.heap and self.heap[0][0] <= day:
                _, _, action, ref, token = heapq.heappop(self.heap)
                getattr(self, f"on_{action}")(day, ref, token)
            if day.weekday() < 5:
                self.allocate(day)
            day += DAY
        return self.events

    # --- dwellings ------------------------------------------------------------------------
    def register(self, on: date, category: str) -> None:
        rng = self.rng
        weights: tuple[int, ...] = OTHER_BY_DISTRICT
        if category == "lifetime_standard":
            weights = LIFETIME_BY_DISTRICT
        if category == "referral":
            weights = REFERRAL_BY_DISTRICT
        district = rng.choices(DISTRICTS, weights)[0]
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
        dwelling = _Dwelling(ref, category, district, rooms, ready=on)
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

    # --- households -----------------------------------------------------------------------
    def open_case(self, day: date, *, homeless: bool, note: str | None = None) -> _Case:
        rng = self.rng
        groups = dict(GROUP_WEIGHTS)
        if day < date(2022, 3, 1):
            groups["refugee_ukraine"] = 0
        group = rng.choices(tuple(groups), tuple(groups.values()))[0]
        if group.startswith("families"):
            adults, children = rng.choice((1, 1, 2)), rng.choice((1, 1, 2, 2, 3, 4))
        elif group.startswith("refugee"):
            adults, children = rng.choice((1, 2)), rng.choice((0, 0, 1, 2, 3))
        else:
            adults, children = rng.choice((1, 1, 1, 1, 2)), 0
        if homeless:
            situation = rng.choices(
                ("temporary", "friends_family", "rough", "institution"), (55, 25, 12, 8)
            )[0]
        else:
            situation = rng.choices(("unsuitable", "other", "friends_family"), (50, 40, 10))[0]
        year = day.year
        self.case_numbers[year] = self.case_numbers.get(year, 0) + 1
        ref = f"S-{year}-{self.case_numbers[year]:04d}"
        case = _Case(ref, adults, children, group, situation)
        self.cases[ref] = case
        born = day - timedelta(days=rng.randint(19 * 365, 78 * 365))
        person: dict[str, str] = {"name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"}
        if rng.random() < 0.6:
            person["national_id"] = national_id(rng, born)
        if rng.random() < 0.5:
            person["phone"] = f"{rng.choice((4, 9))}{rng.randint(0, 9999999):07d}"
        self.emit(
            "CaseOpened", day, ref, household={"adults": adults, "children": children},
            group=group, situation=situation, person=person, note=note,
        )  # fmt: skip
        case.hf_candidate = rng.random() < (
            0.6 if group == "mental_health_substance" else 0.1
        ) and (homeless or group == "mental_health_substance")
        return case

    def take_over(self, day: date) -> None:
        """Existing tenancies and the existing waiting list, taken over in the first 60 days."""
        rng = self.rng
        for dwelling in list(self.dwellings.values()):
            if dwelling.occupant or dwelling.retired or dwelling.ready > day:
                continue
            if rng.random() > 1 / 25:
                continue
            if rng.random() < 0.1:
                continue  # stays vacant for now
            case = self.open_case(day, homeless=False, note="Overført fra tidligere system.")
            tenure = "referral_agreement" if dwelling.category == "referral" else "municipal_rental"
            self.settle(day, case, tenure, dwelling, lease_until=day + self.days(30, 730))
        if rng.random() < 2.4 * self.scale.dwellings:
            case = self.open_case(day, homeless=rng.random() < 0.2)
            self.apply(day, case, decide_in=(0, 20))

    def arrivals(self, day: date) -> None:
        rate = self.scale.arrivals_per_day
        while rate > 0:
            if self.rng.random() < min(rate, 1.0):
                case = self.open_case(day, homeless=self.rng.random() < 0.38)
                self.apply(day, case)
                if case.situation == "temporary":
                    self.start_stay(day, case)
                if case.hf_candidate and day >= self.hf_start:
                    self.later(day + self.days(7, 60), "enrol", case.ref)
            rate -= 1.0

    def apply(self, day: date, case: _Case, decide_in: tuple[int, int] = (5, 45)) -> None:
        case.pending_application, case.appealable = True, False
        case.serial += 1
        self.emit("ApplicationReceived", day, case.ref)
        self.later(day + self.days(*decide_in), "decide", case.ref, case.serial)

    def priority_for(self, case: _Case) -> str:
        if case.ufb or case.group.startswith("refugee"):
            weights = (60, 30, 10)
        elif case.children or case.group.endswith("adapted"):
            weights = (20, 50, 30)
        else:
            weights = (10, 25, 65)
        return self.rng.choices(("urgent", "high", "normal"), weights)[0]

    def on_decide(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if not (case.open and case.pending_application):
            return
        case.pending_application = False
        case.serial += 1
        transfer = case.tenure is not None
        if self.rng.random() < (0.6 if transfer else 0.88):
            priority = "normal" if transfer else self.priority_for(case)
            self.emit("ApplicationDecided", day, ref, decision="approved", priority=priority)
            self.join(day, case, priority)
            return
        basis = (
            "boligsosialloven § 7" if day >= date(2023, 7, 1) else "kommunens tildelingskriterier"
        )
        self.emit("ApplicationDecided", day, ref, decision="rejected", legal_basis=basis)
        case.appealable = not transfer
        if case.appealable and self.rng.random() < 0.3:
            self.later(day + self.days(5, 20), "appeal", ref, case.serial)
        elif not transfer:
            self.later(day + self.days(30, 120), "close", ref, case.serial)

    def on_appeal(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.open and case.appealable and case.serial == token:
            case.appealable, case.pending_appeal = False, True
            case.serial += 1
            self.emit("AppealReceived", day, ref)
            self.later(day + self.days(20, 70), "appeal_decided", ref, case.serial)

    def on_appeal_decided(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if not (case.open and case.pending_appeal):
            return
        case.pending_appeal = False
        case.serial += 1
        if self.rng.random() < 0.35:
            priority = self.priority_for(case)
            self.emit("AppealDecided", day, ref, outcome="overturned", priority=priority)
            self.join(day, case, priority)
        else:
            self.emit("AppealDecided", day, ref, outcome="upheld")
            self.later(day + self.days(10, 90), "close", ref, case.serial)

    def join(self, day: date, case: _Case, priority: str) -> None:
        case.waiting_since, case.priority = day, priority
        self.waiting[case.ref] = case
        token = day.toordinal()
        for action, mean in (("withdraw", 2600), ("private", 1500), ("office", 800)):
            self.later(day + self.exp_days(mean), action, case.ref, token)
        if case.ufb and case.stay is None:
            self.later(day + self.exp_days(200), "situation", case.ref, token)
        self.later(
            day + self.exp_days(3000 if case.children else 6000), "household", case.ref, token
        )
        self.later(day + self.exp_days(5000), "group", case.ref, token)

    def leave_list(self, case: _Case) -> None:
        case.waiting_since = None
        self.waiting.pop(case.ref, None)
        case.serial += 1

    # --- settlement and tenancy -----------------------------------------------------------
    def settle(
        self,
        day: date,
        case: _Case,
        tenure: str,
        dwelling: _Dwelling | None,
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

    def move_into(self, day: date, case: _Case, dwelling: _Dwelling) -> None:
        if case.tenure is not None:  # a transfer: out of the old home the same day
            self.move_out(day, case, "other", transfer=True)
        tenure = "referral_agreement" if dwelling.category == "referral" else "municipal_rental"
        self.settle(day, case, tenure, dwelling)

    def move_out(self, day: date, case: _Case, reason: str, *, transfer: bool = False) -> None:
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

    # --- waiting list exits ---------------------------------------------------------------
    def on_withdraw(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.waiting_token(token):
            reason = self.rng.choices(
                ("own_solution", "moved_away", "no_contact", "deceased", "other"),
                (40, 25, 20, 5, 10),
            )[0]
            self.emit("Withdrawn", day, ref, reason=reason)
            self.leave_list(case)
            if reason == "deceased" or self.rng.random() < 0.8:
                self.later(day + self.days(0, 60), "close", ref, case.serial)

    def on_private(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.waiting_token(token) and case.tenure is None:
            tenure = self.rng.choices(
                ("private_rental", "start_loan_purchase", "other"), (5, 3, 4)
            )[0]
            self.settle(day, case, tenure, None)

    def close(self, day: date, case: _Case, reason: str) -> None:
        assert case.open and not case.managed and not case.hf
        self.emit("CaseClosed", day, case.ref, reason=reason)
        self.leave_list(case)
        case.open = case.pending_application = case.pending_appeal = case.appealable = False
        case.stay = case.tenure = case.dwelling = case.settled_on = case.lease_until = None
        if self.rng.random() < 0.12:
            self.later(day + self.days(90, 1500), "reopen", case.ref)

    def on_close(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.open and case.serial == token and not case.managed and not case.hf:
            self.close(day, case, self.rng.choice(CLOSE_REASONS))

    def on_reopen(self, day: date, ref: str, _: int) -> None:
        case = self.cases[ref]
        if case.open:
            return
        case.open = True
        case.serial += 1
        self.emit("CaseReopened", day, ref)
        self.change_situation(day, case, self.rng.choice(("friends_family", "rough", "temporary")))
        self.apply(day, case)
        if case.situation == "temporary":
            self.start_stay(day, case)

    # --- temporary stays ------------------------------------------------------------------
    def start_stay(self, day: date, case: _Case, *, emergency: bool = False) -> None:
        rng = self.rng
        case.stays += 1
        case.stay = f"t{case.stays}"
        case.serial += 1
        place: str | None = "vannskade i boligen"
        if emergency:
            kind = rng.choice(("hotel", "emergency_dwelling"))
        else:
            kinds = ("hotel", "hostel", "camping_cabin", "emergency_dwelling", "crisis_centre")
            kind = rng.choices(kinds, (40, 25, 10, 15, 10 if case.children else 0))[0]
            place = rng.choice(("Sentrum hotell", "Hospitset", "Nødboligen", None))
        self.emit("TemporaryStayStarted", day, case.ref, stay=case.stay, kind=kind, place=place)
        nights = int(rng.lognormvariate(4.6, 0.65)) + 1 if not emergency else rng.randint(3, 30)
        self.later(day + timedelta(days=nights), "end_stay", case.ref, case.stays)
        self.later(day + self.days(1, 14), "nav", case.ref, case.stays)
        if case.children and rng.random() < 0.25:
            self.later(day + self.days(1, 20), "concern", case.ref)

    def on_end_stay(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.open and case.stay == f"t{token}":
            self.emit("TemporaryStayEnded", day, ref, stay=case.stay)
            case.stay = None
            case.serial += 1
            if case.tenure is None:
                self.change_situation(day, case, self.rng.choice(("friends_family", "rough")))

    def on_nav(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.open and case.stay == f"t{token}":
            self.follow_up(day, case, "nav", "meeting")
            self.later(day + self.days(20, 45), "nav", ref, token)

    def change_situation(self, day: date, case: _Case, situation: str) -> None:
        if situation != case.situation:
            case.situation = situation
            self.emit("SituationChanged", day, case.ref, situation=situation)

    def on_situation(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.waiting_token(token) and case.stay is None and case.ufb:
            self.change_situation(
                day, case, self.rng.choice(("friends_family", "rough", "institution"))
            )
            self.later(day + self.exp_days(200), "situation", ref, token)

    def on_emergency(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.home_token(token) and case.stay is None:
            self.start_stay(day, case, emergency=True)

    # --- Housing First, follow-up, complaints, concerns -----------------------------------
    def on_enrol(self, day: date, ref: str, _: int) -> None:
        case = self.cases[ref]
        if case.open and not case.hf and self.enrolled < self.scale.hf_cap:
            case.hf, case.hf_since = True, day
            case.serial += 1
            self.enrolled += 1
            self.emit("HousingFirstEnrolled", day, ref)
            token = day.toordinal()
            self.later(day + self.days(1, 7), "hf_visit", ref, token)
            self.later(day + self.exp_days(1700), "hf_end", ref, token)

    def hf_token(self, case: _Case, token: int) -> bool:
        return (
            case.open
            and case.hf
            and case.hf_since is not None
            and case.hf_since.toordinal() == token
        )

    def end_hf(self, day: date, case: _Case, reason: str) -> None:
        self.emit("HousingFirstEnded", day, case.ref, reason=reason)
        case.hf, case.hf_since = False, None
        case.serial += 1
        self.enrolled -= 1

    def on_hf_end(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if self.hf_token(case, token):
            reasons = ("completed", "dropped_out", "moved_away", "other")
            self.end_hf(day, case, self.rng.choices(reasons, (45, 30, 10, 15))[0])
            if not case.managed:
                self.later(day + self.days(10, 120), "close", ref, case.serial)

    def on_hf_visit(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if not self.hf_token(case, token):
            return
        if self.rng.random() < 0.55:  # planned weekly; about every other week logged
            kind = self.rng.choices(
                ("home_visit", "accompaniment", "phone", "practical_help", "meeting"),
                (45, 15, 20, 15, 5),
            )[0]
            self.follow_up(day, case, "housing_first", kind)
            if self.rng.random() < 0.012:
                self.emit(
                    "ConcernReported", day, ref, to=self.rng.choice(("health", "nav", "police"))
                )
        self.later(day + self.days(6, 8), "hf_visit", ref, token)

    def follow_up(self, day: date, case: _Case, team: str, kind: str) -> None:
        minutes = self.rng.choice((10, 15, 30, 45, 60, 90, 120)) if kind != "phone" else 15
        note = (
            "Hjemmebesøk gjennomført." if kind == "home_visit" and self.rng.random() < 0.1 else None
        )
        self.emit("FollowUpLogged", day, case.ref, team=team, kind=kind, minutes=minutes, note=note)

    def on_office(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.waiting_token(token):
            self.follow_up(day, case, self.rng.choice(("housing_office", "other")), "phone")
            self.later(day + self.exp_days(800), "office", ref, token)

    def on_caretaker(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.home_token(token):
            self.follow_up(
                day, case, "caretaker", self.rng.choice(("home_visit", "practical_help"))
            )
            self.later(day + self.exp_days(5000), "caretaker", ref, token)

    def on_concern(self, day: date, ref: str, _: int) -> None:
        case = self.cases[ref]
        if case.open:
            self.emit("ConcernReported", day, ref, to="child_welfare")

    def on_complaint(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if not case.home_token(token):
            return
        complaint = f"k{len(case.complaints) + 1}"
        case.complaints[complaint] = True
        self.emit(
            "ComplaintReceived", day, ref, complaint=complaint,
            category=self.rng.choices(
                ("noise", "threats_violence", "damage", "hygiene", "other"), (40, 12, 20, 15, 13)
            )[0],
            source=self.rng.choices(
                ("neighbour", "housing_cooperative", "police", "other"), (60, 20, 10, 10)
            )[0],
            dwelling=case.dwelling if self.rng.random() < 0.3 else None,
        )  # fmt: skip
        self.later(day + self.days(0, 10), "caretaker_complaint", ref, token)
        if self.rng.random() < 0.85:
            self.later(day + self.days(5, 90), "complaint_closed", ref, len(case.complaints))
        self.later(day + self.exp_days(9000), "complaint", ref, token)

    def on_caretaker_complaint(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.home_token(token):
            self.follow_up(day, case, "caretaker", "home_visit")

    def on_complaint_closed(self, day: date, ref: str, number: int) -> None:
        case = self.cases[ref]
        complaint = f"k{number}"
        if not (case.open and case.complaints.get(complaint)):
            return
        outcomes = ("resolved", "warning_issued", "unfounded", "eviction_started")
        outcome = self.rng.choices(outcomes, (35, 25, 25, 15))[0]
        case.complaints[complaint] = False
        self.emit("ComplaintClosed", day, ref, complaint=complaint, outcome=outcome)
        if outcome == "eviction_started" and case.settled_on and self.rng.random() < 0.4:
            self.later(day + self.days(60, 200), "evict", ref, case.settled_on.toordinal())

    def on_household(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.waiting_token(token) and case.adults + case.children < 8:
            case.children += 1
            household = {"adults": case.adults, "children": case.children}
            self.emit("HouseholdChanged", day, ref, household=household)

    def on_group(self, day: date, ref: str, token: int) -> None:
        case = self.cases[ref]
        if case.waiting_token(token) and case.group in ("other", "families"):
            case.group = "adults_adapted" if case.group == "other" else "families_adapted"
            self.emit("GroupChanged", day, ref, group=case.group)


def _fits(case: _Case, dwelling: _Dwelling, referral: bool) -> bool:
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


def _late_and_retracted(events: list[Event], rng: random.Random, today: date) -> list[Event]:
    """Record a few follow-ups some days late, and retract a few events nothing depends on.

    A backdated follow-up moves after the events of the day it was recorded; it is never on
    the day its case was closed (it would then follow the closing). Only follow-ups and
    complaints that were never closed are retracted, within days, while the case is open.
    """
    closings: dict[str, list[date]] = {}
    closed_complaints: set[tuple[str, str]] = set()
    for event in events:
        if event["type"] == "CaseClosed":
            closings.setdefault(event["case"], []).append(date.fromisoformat(event["on"]))
        if event["type"] == "ComplaintClosed":
            closed_complaints.add((event["case"], event["complaint"]))

    def closed_within(case: str, first: date, last: date) -> bool:
        return any(first <= closed <= last for closed in closings.get(case, ()))

    keyed: list[tuple[date, int, int, Event]] = []
    retractions: list[Event] = []
    for index, event in enumerate(events):
        on = date.fromisoformat(event["on"])
        recorded, late = on, 0
        draw = rng.random()
        unretractable = event["type"] == "ComplaintReceived" and (
            (event["case"], event["complaint"]) in closed_complaints
        )
        share = {"FollowUpLogged": 0.004, "ComplaintReceived": 0.15}.get(event["type"], 0.0)
        when = on + timedelta(days=1 + int(draw * 1000) % 10)
        retractable = not unretractable and when <= today
        if draw < share and retractable and not closed_within(event["case"], on, when):
            reason = rng.choice(("registrert på feil sak", "feilregistrering"))
            retractions.append(
                {
                    "id": f"{event['id']}-r",
                    "type": "EventRetracted",
                    "case": event["case"],
                    "on": when.isoformat(),
                    "target": event["id"],
                    "reason": reason,
                }
            )
            keyed.append((on, 0, index, event))
            continue
        if event["type"] == "FollowUpLogged" and draw > 0.985:
            recorded = on + timedelta(days=rng.randint(1, 6))
            if recorded > today or closed_within(event["case"], on, on):
                recorded = on
            late = 1 if recorded > on else 0
        keyed.append((recorded, late, index, event))
    keyed += [
        (date.fromisoformat(r["on"]), 1, len(events) + i, r) for i, r in enumerate(retractions)
    ]
    keyed.sort(key=lambda item: (item[0], item[1], item[2]))
    return [event for _, _, _, event in keyed]


def generate(seed: int = 2023, *, today: date, scale: str = "moss") -> Iterator[Event]:
    """The demo municipality's events in recording order, none dated after `today`.

    `scale` is "moss" (about 980 dwellings and ten years of cases, 10–15k events) or "small"
    (a tenth of the dwellings over four years, for quick tests).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    simulation = _Simulation(seed, today, SCALES[scale])
    events = simulation.run()
    rng = random.Random(seed + 1)  # noqa: S311 -- reproducible synthetic data, not secrets
    yield from _late_and_retracted(events, rng, today)


def write_jsonl(path: str | Path, events: Iterable[Event]) -> int:
    """Write events as JSON Lines (UTF-8, one object a line); return how many were written."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
    return count
