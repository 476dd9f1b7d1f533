"""Temporary stays, Housing First, follow-up by the teams, complaints and concerns."""

from __future__ import annotations

from datetime import date, timedelta

from domain.demo.base import SimulationBase
from domain.demo.state import CaseState


class Support(SimulationBase):
    """What happens to a household while it waits or lives in a dwelling."""

    def start_stay(self, day: date, case: CaseState, *, emergency: bool = False) -> None:
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

    def change_situation(self, day: date, case: CaseState, situation: str) -> None:
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

    def hf_token(self, case: CaseState, token: int) -> bool:
        return (
            case.open
            and case.hf
            and case.hf_since is not None
            and case.hf_since.toordinal() == token
        )

    def end_hf(self, day: date, case: CaseState, reason: str) -> None:
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

    def follow_up(self, day: date, case: CaseState, team: str, kind: str) -> None:
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
