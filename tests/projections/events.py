"""Small interchange events for focused tests (ids are numbered in recording order)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from projections.db import ReadStore
from projections.runner import catch_up
from tests.projections.sources import ListChangeSource

Event = dict[str, Any]


class Story:
    """A municipality's events, recorded one after the other."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._ids = itertools.count(1)

    def case(self, ref: str, type_: str, on: str, **fields: Any) -> str:
        event_id = f"e{next(self._ids)}"
        self.events.append(
            {"id": event_id, "type": type_, "case": ref, "on": on, "by": "u1", **fields}
        )
        return event_id

    def dwelling(self, ref: str, type_: str, on: str, **fields: Any) -> str:
        event_id = f"e{next(self._ids)}"
        self.events.append({"id": event_id, "type": type_, "dwelling": ref, "on": on, **fields})
        return event_id

    def opened(
        self, ref: str, on: str, situation: str = "rough", children: int = 0, group: str = "other"
    ) -> str:
        return self.case(
            ref,
            "CaseOpened",
            on,
            household={"adults": 1, "children": children},
            group=group,
            situation=situation,
            person={"name": "Kari Nordmann"},
        )

    def approved(self, ref: str, received_on: str, on: str, priority: str = "normal") -> str:
        self.case(ref, "ApplicationReceived", received_on)
        return self.case(ref, "ApplicationDecided", on, decision="approved", priority=priority)

    def load(self, store: ReadStore, events: Sequence[Event] | None = None) -> None:
        """Catch the store up with the story so far."""
        catch_up(ListChangeSource.of_events(self.events if events is None else events), store)
