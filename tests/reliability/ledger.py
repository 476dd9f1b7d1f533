"""What the event store holds, checked against what writers were told."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from domain.application import Boligspor
from domain.changes import Change


def all_changes(app: Boligspor, batch: int = 1000, limit: int = 1_000_000) -> list[Change]:
    """Every public change in the store, in position order."""
    changes: list[Change] = []
    after = 0
    while len(changes) < limit:
        found, last = app.read_changes(after, batch)
        if last <= after:
            break
        changes.extend(found)
        after = last
    return changes


def reconcile(
    app: Boligspor, acknowledged: Iterable[str], sent: Iterable[str], before: Iterable[str] = ()
) -> dict[str, Any]:
    """Lost: acknowledged but not stored. Duplicated: stored more than once. Unexpected: stored
    but never sent. `before` are the ids stored before the writers began."""
    stored = Counter(str(c.event["id"]) for c in all_changes(app))
    acked = set(acknowledged)
    known = set(sent) | set(before)
    return {
        "acknowledged": len(acked),
        "stored": sum(stored.values()),
        "lost": len(acked - set(stored)),
        "duplicated": sum(n - 1 for n in stored.values() if n > 1),
        "unexpected": len(set(stored) - known),
    }
