"""Households: cases opened, applications and appeals decided, the waiting list joined and
left, cases closed and reopened."""

from __future__ import annotations

from datetime import date, timedelta

from domain.demo.people import FIRST_NAMES, SURNAMES, national_id
from domain.demo.state import CLOSE_REASONS, GROUP_WEIGHTS, CaseState
from domain.demo.support import Support


class Households(Support):
    """A household's path from application to leaving the waiting list."""

    def open_case(self, day: date, *, homeless: bool, note: str | None = None) -> CaseState:
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
        case = CaseState(ref, adults, children, group, situation)
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

    def apply(self, day: date, case: CaseState, decide_in: tuple[int, int] = (5, 45)) -> None:
        case.pending_application, case.appealable = True, False
        case.serial += 1
        self.emit("ApplicationReceived", day, case.ref)
        self.later(day + self.days(*decide_in), "decide", case.ref, case.serial)

    def priority_for(self, case: CaseState) -> str:
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

    def join(self, day: date, case: CaseState, priority: str) -> None:
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

    def leave_list(self, case: CaseState) -> None:
        case.waiting_since = None
        self.waiting.pop(case.ref, None)
        case.serial += 1

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

    def close(self, day: date, case: CaseState, reason: str) -> None:
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
