"""Cases for queries: kept in memory, brought up to date from the store on every read.

A read asks the store for the case's events after the cached version (another process may
have written), so a cached case is never served stale. Cached cases are never changed: new
events advance a copy (`fork`), which replaces the cached one, so a reader holding a case
keeps a consistent one. The cache is bounded by the number of entries it holds; a case
larger than the bound is read without being kept.

A case read cold starts from its latest snapshot, and a snapshot is stored (best effort)
whenever a read finds at least `snapshot_every` events after the last one. Only this read
path takes and uses snapshots; commands replay the events as before.

Nothing here holds personal data in the clear: entries keep their personal fields sealed with
the case's key, which callers fetch from the key store on every read, so after an erasure
the cached and snapshotted entries read as erased like the events do.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, cast

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import EventStore, PersistenceError

from domain.case import Case, CaseSnapshot, fork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Kept:
    case: Case
    snapshot_version: int  # version of the newest snapshot known to exist (0: none)
    memo: dict[str, Any]  # derived from this version of the case by callers


class CaseCache:
    """Read-only cases by aggregate id: cached (LRU, bounded by entries), fast-forwarded."""

    def __init__(
        self,
        events: EventStore[str],
        snapshots: EventStore[str],
        *,
        max_entries: int,
        snapshot_every: int,
    ) -> None:
        self.events = events
        self.snapshots = snapshots
        self.max_entries = max_entries
        self.snapshot_every = snapshot_every
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        self._entries = 0
        self._lock = threading.Lock()

    def get(self, aggregate_id: str) -> Case:
        """The case as stored now; raise AggregateNotFoundError if it has no events.

        The case returned may be shared with other readers: do not change it.
        """
        return self.read(aggregate_id)[0]

    def read(self, aggregate_id: str) -> tuple[Case, dict[str, Any]]:
        """The case as stored now, and a memo for what callers derive from this version of it
        (shared by every reader of the same version; dropped with it). A memo of a version
        advanced from a cached one starts with the older version's memo under "previous"."""
        with self._lock:
            kept = self._kept.get(aggregate_id)
            if kept is not None:
                self._kept.move_to_end(aggregate_id)
        memo: dict[str, Any] = {}
        if kept is None:
            case, snapshot_version = self._load(aggregate_id)
        else:
            case, snapshot_version = kept.case, kept.snapshot_version
            new = list(self.events.get(aggregate_id, gt=case.version))
            if not new:
                return case, kept.memo
            case = fork(case)
            for event in new:
                cast(Case.Event, event).mutate(case)
            # What callers derived from the version before may help them derive it for this
            # one; one version back only, so memos never chain.
            previous = dict(kept.memo)
            previous.pop("previous", None)
            memo = {"previous": previous}
        if case.version - snapshot_version >= self.snapshot_every and self._snapshot(case):
            snapshot_version = case.version
        kept = self._keep(aggregate_id, _Kept(case, snapshot_version, memo))
        return kept.case, kept.memo

    def size(self) -> tuple[int, int]:
        """(cases, entries) held."""
        with self._lock:
            return len(self._kept), self._entries

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._entries = 0

    def _load(self, aggregate_id: str) -> tuple[Case, int]:
        found = list(self.snapshots.get(aggregate_id, desc=True, limit=1))
        case: Any = None
        snapshot_version = 0
        if found:
            snapshot = found[0]
            assert isinstance(snapshot, CaseSnapshot)
            case = snapshot.mutate(None)
            snapshot_version = snapshot.originator_version
        for event in self.events.get(aggregate_id, gt=snapshot_version or None):
            case = cast(Case.Event, event).mutate(case)
        if case is None:
            raise AggregateNotFoundError(aggregate_id)
        assert isinstance(case, Case)
        return case, snapshot_version

    def _snapshot(self, case: Case) -> bool:
        """Store a snapshot of `case`; a failure only means a slower cold read later."""
        try:
            self.snapshots.put([CaseSnapshot.of(case)])
        except PersistenceError as error:  # e.g. another process stored the same version
            log.info("no snapshot of %s v%d: %s", case.id, case.version, error)
            return False
        return True

    def _keep(self, aggregate_id: str, kept: _Kept) -> _Kept:
        """Keep `kept` unless the cache holds the same or a newer version: return the one kept."""
        size = len(kept.case.history)
        with self._lock:
            old = self._kept.get(aggregate_id)
            if old is not None:
                if old.case.version > kept.case.version:
                    return old  # a concurrent read kept a newer version
                if old.case.version == kept.case.version:
                    snapshot_version = max(old.snapshot_version, kept.snapshot_version)
                    self._kept[aggregate_id] = _Kept(old.case, snapshot_version, old.memo)
                    return self._kept[aggregate_id]
                self._entries -= len(old.case.history)
                del self._kept[aggregate_id]
            if size > self.max_entries:
                return kept
            self._kept[aggregate_id] = kept
            self._entries += size
            while self._entries > self.max_entries:
                _, evicted = self._kept.popitem(last=False)
                self._entries -= len(evicted.case.history)
        return kept
