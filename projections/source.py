"""Where the read models get their input: changes recorded in the event store, in order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

from domain.changes import Change as Change

# Keys that hold personal data. The write side removes them before handing events over;
# the read side drops them again so that no read model can ever hold them.
PERSONAL_KEYS: frozenset[str] = frozenset({"person", "note", "place"})


class ChangeSource(Protocol):
    def read_changes(self, after: int, limit: int) -> tuple[list[Change], int]:
        """Changes with position > after, scanning at most `limit` stored notifications;
        returns the changes and the last position scanned (== after when nothing new)."""
        ...

    def max_position(self) -> int: ...


def change_from_event(position: int, event: Mapping[str, Any]) -> Change:
    """A Change for one interchange event, with the personal fields removed."""
    stream = "case" if "case" in event else "dwelling"
    public = {key: value for key, value in event.items() if key not in PERSONAL_KEYS}
    return Change(position=position, stream=stream, ref=str(event[stream]), event=public)


class JsonlChangeSource:
    """Changes read from JSON Lines event files; a change's position is its line number,
    counted across the files in order (blank lines are skipped, leaving gaps)."""

    def __init__(self, paths: Iterable[str | Path] | str | Path) -> None:
        if isinstance(paths, str | Path):
            paths = [paths]
        self._changes: list[Change] = []
        line_number = 0
        for path in paths:
            with Path(path).open(encoding="utf-8") as lines:
                for line in lines:
                    line_number += 1
                    if line.strip():
                        self._changes.append(change_from_event(line_number, json.loads(line)))

    def read_changes(self, after: int, limit: int) -> tuple[list[Change], int]:
        """Changes with position > after, at most `limit` of them, and the last position read."""
        start = self._first_index_after(after)
        changes = self._changes[start : start + limit]
        return changes, (changes[-1].position if changes else after)

    def max_position(self) -> int:
        """The position of the last change, 0 when there is none."""
        return self._changes[-1].position if self._changes else 0

    def _first_index_after(self, after: int) -> int:
        low, high = 0, len(self._changes)
        while low < high:
            middle = (low + high) // 2
            if self._changes[middle].position <= after:
                low = middle + 1
            else:
                high = middle
        return low
