"""Model-based test: random command sequences on cases and dwellings, the system against a model
written from EVENTS.md (`tests/model/rules.py`).

After every step: the model and the system agree on whether the command is accepted; a refused
command changes no aggregate; an accepted one is stored exactly once; no dwelling holds two
households on any day; a case's stays never overlap. Runs on SQLite, 120 examples
of 40 steps (~1 minute); BOLIGSPOR_MODEL_EXAMPLES=1000 runs more.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.application import Boligspor, Refused
from domain.case import case_id
from domain.dwelling import dwelling_id
from tests.conftest import TODAY_NOW, make_settings
from tests.model.rules import Ev, Fold, Model, fold, overlaps

START = date(2024, 1, 1)
LAST = TODAY_NOW.date()
CASES = ("S-1", "S-2", "S-3", "S-4")
DWELLINGS = ("B-1", "B-2", "B-3")
STAYS = ("t1", "t2", "t3", "t4")
COMPLAINTS = ("k1", "k2")
EXAMPLES = int(os.environ.get("BOLIGSPOR_MODEL_EXAMPLES", "120"))

picks = st.integers(min_value=0, max_value=999)
dwellings = st.sampled_from(DWELLINGS)
# Mostly forward in time, often backdated (before the latest day logged so far).
forward = st.integers(min_value=0, max_value=20)
shifts = st.one_of(forward, forward, forward, st.integers(min_value=-40, max_value=-1))


def opened(event_id: str, ref: str, on: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "CaseOpened",
        "case": ref,
        "on": on,
        "household": {"adults": 1, "children": 1},
        "group": "families",
        "situation": "rough",
        "person": {"name": f"Person {ref}"},
    }


class CasesAndDwellings(RuleBasedStateMachine):
    """One Boligspor on a fresh SQLite file per example, and the model beside it."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="model-"))
        self.app = Boligspor(
            make_settings(f"sqlite:///{self.folder / 'model.sqlite'}"), clock=lambda: TODAY_NOW
        )
        self.model = Model()
        self.latest = START
        self.counter = 0
        self.disagreements: list[str] = []
        self.log: list[str] = []

    def teardown(self) -> None:
        try:
            self._check_export()
        finally:
            self.app.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers -------------------------------------------------------------------------------

    def day(self, shift: int) -> str:
        on = min(max(START, self.latest + timedelta(days=shift)), LAST)
        self.latest = max(self.latest, on)
        return on.isoformat()

    def new_id(self) -> str:
        self.counter += 1
        return f"e{self.counter}"

    def versions(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for ref in CASES:
            if self.app.existing_streams([case_id(ref)]):
                found[case_id(ref)] = self.app.get_case(ref).version
        for ref in DWELLINGS:
            dwelling = self.app.get_dwelling(ref)
            if dwelling is not None:
                found[dwelling_id(ref)] = dwelling.version
        return found

    def submit(self, event: dict[str, Any]) -> None:
        model_refusal = self.model.decide(event)
        before, position = self.versions(), self.app.max_position()
        try:
            self.app.submit([(1, event)], default_by="model")
            system_refusal = None
        except Refused as refused:
            system_refusal = "; ".join(r.message for r in refused.refusals)
        self.log.append(
            f"{event} -> system {system_refusal or 'accepted'}, model {model_refusal or 'accepted'}"
        )
        assert (model_refusal is None) == (system_refusal is None), "\n".join(
            [
                "the model and the system disagree on the last command:",
                *self.log[-25:],
            ]
        )
        if system_refusal is not None:
            assert self.versions() == before, "a refused command changed an aggregate"
            assert self.app.max_position() == position, "a refused command stored something"
            return
        self.model.accept(event)
        stream = self.app.lookup_ids([event["id"]]).get(event["id"])
        assert stream == (
            case_id(event["case"]) if "case" in event else dwelling_id(event["dwelling"])
        )
        if "case" in event:
            ids = [e["id"] for e in self.app.export(event["case"])]
            assert ids.count(event["id"]) == 1

    def case_event(self, type_: str, ref: str, shift: int, **fields: Any) -> None:
        on = self.day(shift)
        self.submit({"id": self.new_id(), "type": type_, "case": ref, "on": on, **fields})

    @initialize(referral=st.lists(st.booleans(), min_size=3, max_size=3))
    def three_dwellings_and_three_cases(self, referral: list[bool]) -> None:
        """Most examples start from registered dwellings and open cases (S-4 opens later)."""
        for ref, is_referral in zip(DWELLINGS, referral, strict=True):
            self.submit(
                {
                    "id": self.new_id(),
                    "type": "DwellingRegistered",
                    "dwelling": ref,
                    "on": START.isoformat(),
                    "category": "referral" if is_referral else "ordinary_municipal",
                    "district": "ramberg",
                    "rooms": 2,
                }
            )
        for ref in CASES[:3]:
            self.submit(opened(self.new_id(), ref, START.isoformat()))

    # --- dwellings -----------------------------------------------------------------------------

    @rule(ref=dwellings, shift=shifts, referral=st.booleans())
    def register_dwelling(self, ref: str, shift: int, referral: bool) -> None:
        self.submit(
            {
                "id": self.new_id(),
                "type": "DwellingRegistered",
                "dwelling": ref,
                "on": self.day(shift - 30),
                "category": "referral" if referral else "ordinary_municipal",
                "district": "ramberg",
                "rooms": 2,
            }
        )

    @rule(ref=dwellings, shift=shifts)
    def retire_dwelling(self, ref: str, shift: int) -> None:
        self.submit(
            {
                "id": self.new_id(),
                "type": "DwellingRetired",
                "dwelling": ref,
                "on": self.day(shift),
                "reason": "sold",
            }
        )

    # --- cases ---------------------------------------------------------------------------------
    # Each rule picks, four times in five, a case whose state (in the model, today) suits the
    # command, so that long stories happen; the rest, and backdating, make refusals.

    def state(self, ref: str) -> Fold:
        return fold(self.model.effective(ref), self.model.dwellings)

    def target(self, pick: int, suits: Callable[[Fold], bool]) -> str:
        suitable = [ref for ref in self.model.cases if suits(self.state(ref))]
        if suitable and pick % 5:
            return suitable[pick % len(suitable)]
        return CASES[pick % len(CASES)]

    @rule(shift=shifts)
    def open_case(self, shift: int) -> None:
        self.submit(opened(self.new_id(), CASES[-1], self.day(shift)))

    @rule(pick=picks, shift=shifts)
    def apply(self, pick: int, shift: int) -> None:
        ref = self.target(pick, lambda s: not (s.application or s.appeal or s.waiting))
        self.case_event("ApplicationReceived", ref, shift)

    @rule(pick=picks, shift=shifts, approved=st.booleans())
    def decide(self, pick: int, shift: int, approved: bool) -> None:
        ref = self.target(pick, lambda s: s.application)
        fields = (
            {"decision": "approved", "priority": "high"} if approved else {"decision": "rejected"}
        )
        self.case_event("ApplicationDecided", ref, shift, **fields)

    @rule(pick=picks, shift=shifts)
    def appeal(self, pick: int, shift: int) -> None:
        self.case_event("AppealReceived", self.target(pick, lambda s: s.appealable), shift)

    @rule(pick=picks, shift=shifts, overturned=st.booleans())
    def decide_appeal(self, pick: int, shift: int, overturned: bool) -> None:
        ref = self.target(pick, lambda s: s.appeal)
        fields = (
            {"outcome": "overturned", "priority": "urgent"} if overturned else {"outcome": "upheld"}
        )
        self.case_event("AppealDecided", ref, shift, **fields)

    @rule(
        pick=picks,
        gaps=st.lists(st.integers(min_value=0, max_value=10), min_size=4, max_size=4),
        overturned=st.booleans(),
        withdraw=st.booleans(),
    )
    def application_rejected_and_appealed(
        self, pick: int, gaps: list[int], overturned: bool, withdraw: bool
    ) -> None:
        """A rejection appealed is rare by chance: this story makes it common."""
        ref = self.target(pick, lambda s: not (s.application or s.appeal or s.waiting))
        decided = (
            {"outcome": "overturned", "priority": "normal"} if overturned else {"outcome": "upheld"}
        )
        steps: list[tuple[str, dict[str, Any]]] = [
            ("ApplicationReceived", {}),
            ("ApplicationDecided", {"decision": "rejected"}),
            ("AppealReceived", {}),
            ("Withdrawn", {"reason": "no_contact"}) if withdraw else ("AppealDecided", decided),
        ]
        for (kind, fields), gap in zip(steps, gaps, strict=True):
            self.case_event(kind, ref, gap, **fields)

    @rule(pick=picks, shift=shifts, stay=st.sampled_from(STAYS))
    def start_stay(self, pick: int, shift: int, stay: str) -> None:
        ref = self.target(pick, lambda s: s.open_stay is None and not s.closed)
        self.case_event("TemporaryStayStarted", ref, shift, stay=stay, kind="hotel")

    @rule(pick=picks, shift=shifts, stay=st.sampled_from(STAYS))
    def end_stay(self, pick: int, shift: int, stay: str) -> None:
        ref = self.target(pick, lambda s: s.open_stay is not None)
        open_stay = self.state(ref).open_stay if ref in self.model.cases else None
        chosen = open_stay if open_stay is not None and pick % 7 else stay
        self.case_event("TemporaryStayEnded", ref, shift, stay=chosen)

    @rule(
        pick=picks,
        shift=shifts,
        dwelling=dwellings,
        tenure=st.sampled_from(("municipal_rental", "referral_agreement", "private_rental")),
        with_dwelling=st.booleans(),
    )
    def settle(
        self, pick: int, shift: int, dwelling: str, tenure: str, with_dwelling: bool
    ) -> None:
        ref = self.target(pick, lambda s: s.settled is None and not s.closed)
        facts = self.model.dwellings.get(dwelling)
        if facts is not None and pick % 3 and tenure != "private_rental":
            tenure = "referral_agreement" if facts.category == "referral" else "municipal_rental"
        where = {"dwelling": dwelling} if with_dwelling or tenure != "private_rental" else {}
        self.case_event("Settled", ref, shift, tenure=tenure, **where)

    @rule(pick=picks, shift=shifts)
    def move_out(self, pick: int, shift: int) -> None:
        ref = self.target(pick, lambda s: s.settled is not None)
        self.case_event("MovedOut", ref, shift, reason="own_choice")

    @rule(pick=picks, shift=shifts)
    def renew_lease(self, pick: int, shift: int) -> None:
        ref = self.target(pick, lambda s: s.settled is not None)
        on = self.day(shift)
        until = (date.fromisoformat(on) + timedelta(days=700)).isoformat()
        self.submit(
            {
                "id": self.new_id(),
                "type": "LeaseRenewed",
                "case": ref,
                "on": on,
                "lease_until": until,
            }
        )

    @rule(pick=picks, shift=shifts)
    def close(self, pick: int, shift: int) -> None:
        ref = self.target(pick, lambda s: not s.closed)
        self.case_event("CaseClosed", ref, shift, reason="avsluttet")

    @rule(pick=picks, shift=shifts)
    def reopen(self, pick: int, shift: int) -> None:
        self.case_event("CaseReopened", self.target(pick, lambda s: s.closed), shift)

    @rule(
        pick=picks,
        shift=shifts,
        complaint=st.sampled_from(COMPLAINTS),
        dwelling=st.none() | dwellings,
    )
    def complain(self, pick: int, shift: int, complaint: str, dwelling: str | None) -> None:
        ref = self.target(pick, lambda s: complaint not in s.complaints)
        where = {} if dwelling is None else {"dwelling": dwelling}
        self.case_event(
            "ComplaintReceived",
            ref,
            shift,
            complaint=complaint,
            category="noise",
            source="neighbour",
            **where,
        )

    @rule(pick=picks, shift=shifts, complaint=st.sampled_from(COMPLAINTS))
    def close_complaint(self, pick: int, shift: int, complaint: str) -> None:
        ref = self.target(pick, lambda s: s.complaints.get(complaint, False))
        self.case_event("ComplaintClosed", ref, shift, complaint=complaint, outcome="resolved")

    @rule(pick=picks, shift=shifts)
    def enrol_in_housing_first(self, pick: int, shift: int) -> None:
        ref = self.target(pick, lambda s: not s.enrolled and not s.closed)
        self.case_event("HousingFirstEnrolled", ref, shift)

    @rule(pick=picks, shift=shifts)
    def end_housing_first(self, pick: int, shift: int) -> None:
        ref = self.target(pick, lambda s: s.enrolled)
        self.case_event("HousingFirstEnded", ref, shift, reason="completed")

    @rule(pick=picks, shift=shifts)
    def withdraw(self, pick: int, shift: int) -> None:
        ref = self.target(pick, lambda s: s.waiting or s.application or s.appeal)
        self.case_event("Withdrawn", ref, shift, reason="own_solution")

    @rule(pick=picks, shift=shifts)
    def follow_up(self, pick: int, shift: int) -> None:
        ref = self.target(pick, lambda s: not s.closed)
        self.case_event("FollowUpLogged", ref, shift, team="caretaker", kind="phone", minutes=5)

    @rule(pick=picks, shift=shifts, which=st.integers(min_value=0, max_value=10_000))
    def retract(self, pick: int, shift: int, which: int) -> None:
        """Retract an event of the case (now and then one of another case or a dwelling)."""
        ref = self.target(pick, lambda s: True)
        own = [e.id for e in self.model.cases.get(ref, [])[1:]]
        candidates = own if own and which % 6 else sorted(self.model.contents)
        target = candidates[which % len(candidates)] if candidates else "e0"
        self.case_event("EventRetracted", ref, shift, target=target, reason="feilført")

    @rule(pick=st.integers(min_value=0, max_value=10_000), other_content=st.booleans())
    def send_again(self, pick: int, other_content: bool) -> None:
        """An event already stored, sent again as it was (a no-op) or changed (a conflict)."""
        if not self.model.contents:
            return
        ids = sorted(self.model.contents)
        event = dict(self.model.contents[ids[pick % len(ids)]])
        if other_content:
            event["note"] = "endret"
        self.submit(event)

    # --- invariants ----------------------------------------------------------------------------

    @invariant()
    def no_dwelling_holds_two_households_on_any_day(self) -> None:
        for ref in DWELLINGS:
            dwelling = self.app.get_dwelling(ref)
            if dwelling is None:
                continue
            spans = [
                (case, interval)
                for case, intervals in dwelling.occupancy.items()
                for interval in intervals
            ]
            for i, (case_a, a) in enumerate(spans):
                for case_b, b in spans[i + 1 :]:
                    assert not overlaps(a, b), f"{ref} holds {case_a} {a} and {case_b} {b}"
            expected = {
                case: intervals
                for case in self.model.cases
                if (intervals := self.model.intervals(case).get(ref))
            }
            assert dwelling.occupancy == expected

    @invariant()
    def a_cases_stays_never_overlap(self) -> None:
        for ref in self.model.cases:
            stored = self.app.case_history(ref)
            events = [
                Ev(i.record.id, i.record.type, i.record.on, n, dict(i.record.fields))
                for n, i in enumerate(stored)
                if i.retracted_by is None and i.record.type != "EventRetracted"
            ]
            stays = fold(events, self.model.dwellings).stays
            spans = [(s[0], s[1]) for s in stays]
            assert all(s is not None for s, _ in spans)
            for i, a in enumerate(spans):
                for b in spans[i + 1 :]:
                    assert not overlaps(a, b), f"{ref}: stays {a} and {b} overlap"  # type: ignore[arg-type]

    def _check_export(self) -> None:
        exported = [e["id"] for e in self.app.export()]
        assert len(exported) == len(set(exported)), "an event id is stored twice"
        assert set(exported) == set(self.model.contents)


CasesAndDwellings.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_the_system_agrees_with_the_model_of_events_md = CasesAndDwellings.TestCase
