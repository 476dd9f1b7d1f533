"""An independent check of the demo stream against EVENTS.md, written from the contract alone.

It replays each case in (on, recording order), without retracted events, and each dwelling's
occupancy over time. It returns the problems it finds; an empty list means the stream obeys
every rule checked here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise
from typing import Any

from domain import values

ENVELOPE = {"id", "type", "on", "by", "note"}
CASE_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # type: (required fields, optional fields), besides the envelope and "case"
    "CaseOpened": ({"household", "group", "situation", "person"}, set()),
    "ApplicationReceived": (set(), set()),
    "ApplicationDecided": ({"decision"}, {"priority", "legal_basis"}),
    "AppealReceived": (set(), set()),
    "AppealDecided": ({"outcome"}, {"priority"}),
    "GroupChanged": ({"group"}, set()),
    "HouseholdChanged": ({"household"}, set()),
    "SituationChanged": ({"situation"}, set()),
    "TemporaryStayStarted": ({"stay", "kind"}, {"place"}),
    "TemporaryStayEnded": ({"stay"}, set()),
    "Settled": ({"tenure"}, {"dwelling", "lease_until"}),
    "LeaseRenewed": ({"lease_until"}, set()),
    "MovedOut": ({"reason"}, set()),
    "ComplaintReceived": ({"complaint", "category", "source"}, {"dwelling"}),
    "ComplaintClosed": ({"complaint", "outcome"}, set()),
    "FollowUpLogged": ({"team", "kind", "minutes"}, set()),
    "ConcernReported": ({"to"}, set()),
    "HousingFirstEnrolled": (set(), set()),
    "HousingFirstEnded": ({"reason"}, set()),
    "Withdrawn": ({"reason"}, set()),
    "CaseClosed": ({"reason"}, set()),
    "CaseReopened": (set(), set()),
    "EventRetracted": ({"target", "reason"}, set()),
}
DWELLING_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "DwellingRegistered": ({"category", "district", "rooms"}, {"address"}),
    "DwellingRetired": ({"reason"}, set()),
}


def shape_problems(event: dict[str, Any], today: date) -> list[str]:
    problems = []
    kind = event.get("type")
    if kind in CASE_FIELDS:
        required, optional = CASE_FIELDS[kind]
        required = required | {"case"}
    elif kind in DWELLING_FIELDS:
        required, optional = DWELLING_FIELDS[kind]
        required = required | {"dwelling"}
    else:
        return [f"{event.get('id')}: unknown type {kind}"]
    keys = set(event)
    missing = (required | {"id", "type", "on"}) - keys
    unknown = keys - required - optional - ENVELOPE
    if missing or unknown:
        problems.append(f"{event['id']}: missing {missing}, unknown {unknown}")
    if date.fromisoformat(event["on"]) > today:
        problems.append(f"{event['id']}: on {event['on']} is after {today}")
    if kind == "ApplicationDecided" and (event["decision"] == "approved") != ("priority" in event):
        problems.append(f"{event['id']}: priority only and always when approved")
    if kind == "AppealDecided" and (event["outcome"] == "overturned") != ("priority" in event):
        problems.append(f"{event['id']}: priority only and always when overturned")
    if kind == "FollowUpLogged" and not (
        type(event["minutes"]) is int and 0 <= event["minutes"] <= 1440
    ):
        problems.append(f"{event['id']}: minutes")
    if kind == "Settled" and event["tenure"] in values.MANAGED_TENURES and "dwelling" not in event:
        problems.append(f"{event['id']}: managed tenure without a dwelling")
    return problems


class _CaseState:
    def __init__(self) -> None:
        self.closed = False
        self.application = False
        self.appeal = False
        self.appealable = False
        self.waiting = False
        self.tenure: str | None = None
        self.dwelling: str | None = None
        self.stay: str | None = None
        self.stays: set[str] = set()
        self.hf = False
        self.complaints: dict[str, bool] = {}


def rule_problems(events: list[dict[str, Any]]) -> list[str]:
    """Replay the stream; return every broken rule found."""
    problems: list[str] = []
    retracted = {e["target"] for e in events if e["type"] == "EventRetracted"}
    by_id = {e["id"]: e for e in events}
    for event in events:
        if event["type"] == "EventRetracted":
            target = by_id.get(event["target"])
            if target is None or target.get("case") != event["case"]:
                problems.append(f"{event['id']}: target is not an event of the case")
            elif target["type"] in ("CaseOpened", "EventRetracted"):
                problems.append(f"{event['id']}: cannot retract {target['type']}")
    dwellings: dict[str, dict[str, Any]] = {}
    for event in events:
        if event["type"] == "DwellingRegistered":
            if event["dwelling"] in dwellings:
                problems.append(f"{event['id']}: dwelling registered twice")
            dwellings[event["dwelling"]] = {
                "category": event["category"],
                "on": event["on"],
                "retired": None,
            }
        elif event["type"] == "DwellingRetired":
            dwellings[event["dwelling"]]["retired"] = event["on"]
    per_case: dict[str, list[tuple[str, int, dict[str, Any]]]] = defaultdict(list)
    for index, event in enumerate(events):
        if "case" in event and event["id"] not in retracted:
            per_case[event["case"]].append((event["on"], index, event))
    occupancy: dict[str, list[tuple[str, str, str]]] = defaultdict(
        list
    )  # dwelling → (from, to, case)
    for case, history in per_case.items():
        history.sort(key=lambda item: (item[0], item[1]))
        problems += _replay(case, [e for _, _, e in history], dwellings, occupancy)
    for ref, spans in occupancy.items():
        spans.sort()
        for (_, end, case), (next_start, _, other) in pairwise(spans):
            if next_start < end:
                problems.append(f"dwelling {ref} holds {case} and {other} on {next_start}")
        retired = dwellings[ref]["retired"]
        if retired and any(start >= retired or end > retired for start, end, _ in spans):
            problems.append(f"dwelling {ref} used on or after its retirement {retired}")
    return problems


def _replay(
    case: str,
    history: list[dict[str, Any]],
    dwellings: dict[str, dict[str, Any]],
    occupancy: dict[str, list[tuple[str, str, str]]],
) -> list[str]:
    problems: list[str] = []
    state = _CaseState()
    settled_from = ""

    def fail(event: dict[str, Any], why: str) -> None:
        problems.append(f"{event['id']} ({event['type']} {case} {event['on']}): {why}")

    if history[0]["type"] != "CaseOpened":
        fail(history[0], "the first event is not CaseOpened")
    for number, event in enumerate(history):
        kind, on = event["type"], event["on"]
        if kind == "CaseOpened" and number:
            fail(event, "opened twice")
        if state.closed and kind not in ("CaseReopened", "EventRetracted"):
            fail(event, "follows a closing")
        if kind == "ApplicationReceived":
            if state.application or state.appeal or state.waiting:
                fail(event, "application while pending or waiting")
            state.application, state.appealable = True, False
        elif kind == "ApplicationDecided":
            if not state.application:
                fail(event, "no pending application")
            state.application = False
            state.waiting = state.waiting or event["decision"] == "approved"
            state.appealable = event["decision"] == "rejected"
        elif kind == "AppealReceived":
            if not state.appealable:
                fail(event, "nothing to appeal")
            state.appealable, state.appeal = False, True
        elif kind == "AppealDecided":
            if not state.appeal:
                fail(event, "no pending appeal")
            state.appeal = False
            state.waiting = state.waiting or event["outcome"] == "overturned"
        elif kind == "TemporaryStayStarted":
            if state.stay is not None or event["stay"] in state.stays:
                fail(event, "stay overlaps or reuses a ref")
            state.stay = event["stay"]
            state.stays.add(event["stay"])
        elif kind == "TemporaryStayEnded":
            if state.stay != event["stay"]:
                fail(event, "stay not open")
            state.stay = None
        elif kind == "Settled":
            if state.tenure is not None:
                fail(event, "already settled")
            ref = event.get("dwelling")
            if ref is not None:
                dwelling = dwellings.get(ref)
                if dwelling is None or dwelling["on"] > on:
                    fail(event, "dwelling not registered")
                elif (dwelling["category"] == "referral") != (
                    event["tenure"] == "referral_agreement"
                ):
                    fail(event, "tenure does not fit the dwelling")
            if "lease_until" in event and event["lease_until"] <= on:
                fail(event, "lease_until not after on")
            state.tenure, state.dwelling, settled_from = event["tenure"], ref, on
            state.stay, state.waiting = None, False
        elif kind in ("LeaseRenewed", "MovedOut"):
            if state.tenure is None:
                fail(event, "not settled")
            if kind == "MovedOut":
                if state.dwelling:
                    occupancy[state.dwelling].append((settled_from, on, case))
                state.tenure = state.dwelling = None
        elif kind == "ComplaintReceived":
            if event["complaint"] in state.complaints:
                fail(event, "complaint ref reused")
            state.complaints[event["complaint"]] = True
        elif kind == "ComplaintClosed":
            if not state.complaints.get(event["complaint"]):
                fail(event, "complaint not open")
            state.complaints[event["complaint"]] = False
        elif kind == "HousingFirstEnrolled":
            if state.hf:
                fail(event, "already enrolled")
            state.hf = True
        elif kind == "HousingFirstEnded":
            if not state.hf:
                fail(event, "not enrolled")
            state.hf = False
        elif kind == "Withdrawn":
            if not (state.waiting or state.application or state.appeal):
                fail(event, "nothing to withdraw")
            state.waiting = state.application = state.appeal = False
        elif kind == "CaseClosed":
            if state.tenure in values.MANAGED_TENURES or state.hf:
                fail(event, "closed while managed-settled or in Housing First")
            state = _closed(state)
        elif kind == "CaseReopened":
            if not state.closed:
                fail(event, "reopened while open")
            state.closed = False
    if state.dwelling:
        occupancy[state.dwelling].append((settled_from, "9999-12-31", case))
    return problems


def _closed(state: _CaseState) -> _CaseState:
    fresh = _CaseState()
    fresh.closed = True
    fresh.stays = state.stays
    fresh.complaints = state.complaints
    return fresh
