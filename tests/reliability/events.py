"""Events the reliability tests write: dwellings, cases, follow-ups and settlements."""

from __future__ import annotations

from typing import Any

Event = dict[str, Any]


def dwelling(ref: str, event_id: str) -> Event:
    return {
        "id": event_id,
        "type": "DwellingRegistered",
        "dwelling": ref,
        "on": "2022-01-03",
        "category": "ordinary_municipal",
        "district": "ramberg",
        "rooms": 2,
    }


def opened(ref: str, event_id: str) -> Event:
    return {
        "id": event_id,
        "type": "CaseOpened",
        "case": ref,
        "on": "2023-01-10",
        "household": {"adults": 1, "children": 0},
        "group": "other",
        "situation": "rough",
        "person": {"name": f"Test Person {ref}"},
    }


def follow_up(ref: str, event_id: str, minutes: int = 30) -> Event:
    return {
        "id": event_id,
        "type": "FollowUpLogged",
        "case": ref,
        "on": "2023-03-01",
        "team": "housing_first",
        "kind": "home_visit",
        "minutes": minutes,
    }


def settled(ref: str, event_id: str, dwelling_ref: str) -> Event:
    return {
        "id": event_id,
        "type": "Settled",
        "case": ref,
        "on": "2023-04-03",
        "tenure": "municipal_rental",
        "dwelling": dwelling_ref,
    }
