"""A reader tailing the event store the way a read model does, in a thread of the test."""

from __future__ import annotations

import threading
import time
from itertools import pairwise

from domain.changes import Change
from tests.reliability.processes import open_app


class TailingReader:
    """Polls `read_changes(after, limit)` from where it last stopped, keeping what it saw."""

    def __init__(self, url: str, limit: int = 100) -> None:
        self.app = open_app(url)
        self.limit = limit
        self.seen: list[Change] = []
        self.after = 0
        self.polls = 0
        self.errors = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> TailingReader:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll()
            except Exception:  # a lost connection: poll again from the same position
                self.errors += 1
                time.sleep(0.05)
            time.sleep(0.001)

    def poll(self) -> int:
        changes, last = self.app.read_changes(self.after, self.limit)
        self.polls += 1
        self.seen.extend(changes)
        self.after = max(self.after, last)
        return len(changes)

    def finish(self, deadline_seconds: float = 60.0) -> None:
        """Stop polling in the background, then read on until nothing new is left."""
        self._stop.set()
        self._thread.join(timeout=deadline_seconds)
        deadline = time.monotonic() + deadline_seconds
        while self.after < self.app.max_position() and time.monotonic() < deadline:
            self.poll()
        self.app.close()


def skipped(seen: list[Change], stored: list[Change]) -> dict[str, int]:
    """What a tailing reader missed or saw out of order, against a full scan afterwards."""
    seen_positions = [c.position for c in seen]
    stored_positions = {c.position for c in stored}
    return {
        "seen": len(seen),
        "stored": len(stored),
        "skipped": len(stored_positions - set(seen_positions)),
        "seen_twice": len(seen_positions) - len(set(seen_positions)),
        "out_of_order": sum(1 for a, b in pairwise(seen_positions) if b <= a),
    }
