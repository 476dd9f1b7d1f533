"""Each rule of a case's and a dwelling's history is decided in one place and names itself:
a stable rule name from `domain.rules` and the facts that broke it. The teams a case belongs
to are a fact of the case, from the events the read side counts them from."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from domain.case_rules import CaseState, replay
from domain.dwelling import Dwelling
from domain.endings import WHAT_ENDS
from domain.errors import RuleBroken
from domain.records import EventRecord
from domain.rules import RULES

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
NOW = datetime(2024, 6, 1, 12, 0)


@dataclass(frozen=True)
class Entry:
    event_id: str
    type: str
    on: date
    seq: int
    fields: dict[str, Any] = field(default_factory=dict)
    dwelling: str | None = None


def history(*events: tuple[str, str, dict[str, Any]]) -> list[Entry]:
    return [
        Entry(f"e{seq}", kind, date.fromisoformat(on), seq, fields)
        for seq, (kind, on, fields) in enumerate(events)
    ]


OPENED = ("CaseOpened", "2024-01-01", {})


def rule_broken_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted(DOMAIN.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "RuleBroken"
            ):
                calls.append((f"{path.name}:{node.lineno}", node))
    return calls


def test_every_rule_broken_in_the_domain_names_a_listed_rule_with_its_listed_facts() -> None:
    calls = rule_broken_calls()
    assert calls
    for where, call in calls:
        keywords = {k.arg: k.value for k in call.keywords}
        rule = keywords.pop("rule", None)
        assert isinstance(rule, ast.Constant), f"{where}: RuleBroken without a rule name"
        assert rule.value in RULES, f"{where}: {rule.value} is not in domain.rules.RULES"
        named = {k for k in keywords if k is not None}
        assert named <= set(RULES[rule.value]), f"{where}: {named - set(RULES[rule.value])}"


def test_a_second_case_opened_is_refused_by_the_case_rules_naming_the_case() -> None:
    state, _ = replay(history(OPENED), None, ref="S-1")
    with pytest.raises(RuleBroken) as broken:
        state.check_can_open()
    assert (broken.value.message, broken.value.rule) == ("case S-1 already exists", "case_exists")
    assert broken.value.params == {"case": "S-1"}


def test_a_case_belongs_to_each_team_that_followed_it_up_and_to_housing_first_once_enrolled() -> (
    None
):
    state, breaches = replay(
        history(
            OPENED,
            ("FollowUpLogged", "2024-02-01", {"team": "nav"}),
            ("FollowUpLogged", "2024-02-02", {"team": "caretaker"}),
            ("HousingFirstEnrolled", "2024-03-01", {}),
            ("HousingFirstEnded", "2024-04-01", {"reason": "completed"}),
        ),
        None,
    )
    assert breaches == []
    assert state.teams == {"nav", "caretaker", "housing_first"}


def test_a_case_with_no_follow_up_and_no_enrolment_belongs_to_no_team() -> None:
    state, _ = replay(history(OPENED), None)
    assert state.teams == frozenset()


def test_a_closing_ends_the_stay_the_waiting_list_and_the_application_as_the_table_says() -> None:
    state, breaches = replay(
        history(
            OPENED,
            ("ApplicationReceived", "2024-01-02", {}),
            ("TemporaryStayStarted", "2024-01-03", {"stay": "H-1"}),
            ("CaseClosed", "2024-01-04", {"reason": "moved"}),
        ),
        None,
    )
    assert breaches == []
    assert (state.open_stay, state.stay_endings, state.application_pending) == (
        None,
        {"H-1": "closing"},
        False,
    )
    assert {e.value for e in WHAT_ENDS["CaseClosed"]} >= {"stay", "waiting_list", "application"}


def registered(ref: str, on: str, category: str = "ordinary_municipal") -> Dwelling:
    record = EventRecord(
        f"r-{ref}",
        "DwellingRegistered",
        date.fromisoformat(on),
        dwelling=ref,
        fields={"category": category, "district": "ramberg", "rooms": 2},
    )
    return Dwelling.register(record, by="test", now=NOW, sealed=None)


def test_a_dwelling_refuses_a_second_household_naming_the_one_that_lives_there() -> None:
    dwelling = registered("B-1", "2020-01-01")
    dwelling.occupy("S-1", [(date(2024, 1, 1), None)])
    with pytest.raises(RuleBroken) as broken:
        dwelling.check_can_hold("S-2", [(date(2024, 5, 1), None)])
    assert broken.value.message == "dwelling B-1 holds S-1 from 2024-01-01"
    assert broken.value.rule == "dwelling_occupied"
    assert broken.value.params == {
        "dwelling": "B-1",
        "case": "S-2",
        "other_case": "S-1",
        "start": date(2024, 1, 1),
        "end": None,
    }


def test_a_dwelling_decides_whether_a_tenure_fits_it() -> None:
    facts = registered("B-2", "2020-01-01", category="referral").facts()
    with pytest.raises(RuleBroken) as broken:
        facts.check_can_settle(date(2024, 1, 1), "municipal_rental")
    assert broken.value.rule == "tenure_needs_municipal_dwelling"
    facts.check_can_settle(date(2024, 1, 1), "referral_agreement")


def test_the_case_rules_ask_the_dwelling_when_a_case_settles_in_it() -> None:
    facts = registered("B-3", "2024-03-01").facts()
    state = CaseState("S-1")
    state.apply(Entry("e1", "CaseOpened", date(2024, 1, 1), 0), None)
    settled = Entry(
        "e2", "Settled", date(2024, 2, 1), 1, {"tenure": "municipal_rental"}, dwelling="B-3"
    )
    with pytest.raises(RuleBroken) as broken:
        state.apply(settled, {"B-3": facts}.get)
    assert broken.value.message == "dwelling B-3 is registered only from 2024-03-01"
    assert broken.value.rule == "dwelling_not_yet_registered"
    assert state.settled is None
