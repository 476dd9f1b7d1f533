"""Change sources for tests: a list of events held in memory, or a prefix of another source."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from projections.source import Change, ChangeSource, change_from_event


class ListChangeSource:
    """Changes held in a list, in position order."""

    def __init__(self, changes: Sequence[Change]) -> None:
        self.changes = list(changes)

    @classmethod
    def of_events(cls, events: Sequence[Mapping[str, Any]], gap: int = 1) -> ListChangeSource:
        """Events in recording order; positions 1, 1 + gap, 1 + 2·gap, …"""
        return cls([change_from_event(1 + i * gap, event) for i, event in enumerate(events)])

    @classmethod
    def everything_in(cls, source: ChangeSource) -> ListChangeSource:
        changes, _ = source.read_changes(0, source.max_position() + 1)
        return cls(changes)

    def prefix(self, count: int) -> ListChangeSource:
        return ListChangeSource(self.changes[:count])

    def read_changes(self, after: int, limit: int) -> tuple[list[Change], int]:
        changes = [c for c in self.changes if c.position > after][:limit]
        return changes, (changes[-1].position if changes else after)

    def max_position(self) -> int:
        return self.changes[-1].position if self.changes else 0
