"""Example events for the OpenAPI page, taken from tests/samples (format: docs/events.md)."""

from __future__ import annotations

from typing import Any

FOLLOW_UP: dict[str, Any] = {
    "id": "ev-0008952",
    "type": "FollowUpLogged",
    "case": "S-00965",
    "on": "2016-11-11",
    "team": "caretaker",
    "kind": "home_visit",
    "minutes": 30,
}
CASE_OPENED: dict[str, Any] = {
    "id": "c1",
    "type": "CaseOpened",
    "case": "S-1",
    "on": "2023-01-10",
    "household": {"adults": 1, "children": 2},
    "group": "families",
    "situation": "friends_family",
    "person": {"name": "Kari Nordmann"},
}
STAY_STARTED: dict[str, Any] = {
    "id": "t1",
    "type": "TemporaryStayStarted",
    "case": "S-1",
    "on": "2023-02-01",
    "stay": "t1",
    "kind": "hotel",
}
BATCH: list[dict[str, Any]] = [CASE_OPENED, STAY_STARTED]
