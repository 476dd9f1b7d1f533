"""Group commit: submissions made at once by threads of one process are stored together.

One thread at a time leads: it takes the waiting submissions as a group, decides each of them
in turn on the state the ones before it leave, and saves the accepted ones in one transaction.
Each caller gets its own answer, and only after that transaction has committed.

Longer than 300 lines because the waiting submissions, the leader that decides them and the
retry against other processes' writers are one mechanism, and read best in one place.
"""

from __future__ import annotations

import copy
import random
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError

from domain.aggregates import QueryFn, Store
from domain.case import Case, case_id
from domain.dwelling import Dwelling, dwelling_id
from domain.errors import DomainError, DuplicateConflict, StoreUnavailable
from domain.records import EventRecord
from domain.submissions import Refusal, Refused, Submitted
from domain.unit_of_work import DUPLICATE, STORED, UnitOfWork, intervals_by_dwelling

RETRIES = 40
WRITE_TURN_WAIT = 3.0  # seconds a request waits for its process's turn to write
GROUP_RECORDS = 1000  # a group takes waiting submissions up to this many lines (at least one)
RECENT_AGGREGATES = 2000  # aggregates the leading thread keeps as the last groups saved them
# Writers are serialised by the store anyway (PostgreSQL's table lock, SQLite's one writer);
# taking the turn in the process first means threads of one process never collide, and only
# writers in other processes need the optimistic retry below.
_WRITE_TURNS: dict[str, threading.Lock] = {}
_TURNS_GUARD = threading.Lock()


def write_turn(database_url: str) -> threading.Lock:
    with _TURNS_GUARD:
        return _WRITE_TURNS.setdefault(database_url, threading.Lock())


@dataclass(eq=False)
class Pending:
    """One submission waiting to be stored, and its answer once its group has been stored."""

    records: list[tuple[int, EventRecord]]
    refusals: list[Refusal]
    now: datetime
    default_by: str
    progress: Callable[[int, int], None] | None
    outcome: Submitted | BaseException | None = None
    taken: bool = False  # by a leading thread, which will answer it


class GroupCommit:
    """The group commit of one application: `store` answers a submission once it is stored."""

    def __init__(
        self, app: Store, database_url: str, listeners: list[Callable[[int, int], None]]
    ) -> None:
        self.app = app
        self.database_url = database_url
        self.listeners = listeners  # told the size of each stored group (submissions, lines)
        self.submissions = _Submissions()

    def store(self, pending: Pending) -> Submitted:
        """Store `pending` with whatever waits alongside it; raise its refusal or failure."""
        self.submissions.wait_or_lead(pending, self._store_groups)
        if isinstance(pending.outcome, BaseException):
            raise pending.outcome
        assert pending.outcome is not None
        return pending.outcome

    def waiting(self) -> int:
        """How many submissions wait to be taken into a group."""
        return self.submissions.waiting()

    def _store_groups(self, pending: Pending) -> None:
        """As the leading thread: store groups of waiting submissions until `pending`'s."""
        while pending.outcome is None:
            group = self.submissions.take_group()
            if not group:
                return
            try:
                self._store_group(group)
            except Exception as error:  # e.g. the store lost while reading: the group's answer
                for member in group:
                    if member.outcome is None:
                        member.outcome = error
            finally:
                # Interrupted (KeyboardInterrupt, SystemExit): nobody may wait forever.
                _answer_all(
                    [m for m in group if m.outcome is None], "the write was interrupted; try again"
                )
                self.submissions.answered(group)

    def _store_group(self, group: list[Pending]) -> None:
        """Decide and save one group, answering every member (never before the commit)."""
        turn = write_turn(self.database_url)
        for attempt in range(RETRIES):
            # A bounded wait for the turn: behind a stuck database, the k-th waiting request
            # must not wait k times the store's own lock timeout before it hears 503.
            if not turn.acquire(timeout=WRITE_TURN_WAIT):
                _answer_all(group, "the database is busy; try again")
                return
            try:
                outcomes = self._decide_and_save(group)
            except StoreUnavailable as error:
                _answer_all(group, str(error), error.__cause__)
                return
            finally:
                turn.release()
            if outcomes is not None:
                for member, outcome in zip(group, outcomes, strict=True):
                    member.outcome = outcome
                lines = sum(len(member.records) for member in group)
                for listener in self.listeners:
                    listener(len(group), lines)
                return
            # Another process's writer got there first: decide again on fresh state, after
            # a fully jittered, growing pause so that racing writers spread out.
            time.sleep(random.uniform(0, min(0.005 * 2**attempt, 1.0)))  # noqa: S311
        _answer_all(group, "too many concurrent changes to the same case; try again")

    def _decide_and_save(self, group: list[Pending]) -> list[Submitted | BaseException] | None:
        """Decide every submission of the group on fresh state, each after the ones before
        it, and save the accepted ones in one transaction; None when another process's
        writer won the race (nothing was saved, and every answer must be decided again)."""
        records = [record for member in group for _, record in member.records]
        streams = {case_id(r.ref) if r.stream == "case" else dwelling_id(r.ref) for r in records}
        recent = self.submissions.recent
        aggregates = self.app.aggregates
        with aggregates.reading() as query:
            stored_ids = aggregates.lookup_ids([r.id for r in records], query)
            existing = aggregates.existing_streams(sorted(streams), query)
            shared = _Decided(stored_ids, existing, streams)
            shared.keys.update(self._usable_keys(query, sorted(streams)))
            shared.ready = aggregates.current(query, sorted(existing), recent.take)
            settled_in = {
                dwelling_id(ref)
                for aggregate in shared.ready.values()
                if isinstance(aggregate, Case)
                for ref in intervals_by_dwelling(aggregate.state())
            }
            shared.ready.update(
                aggregates.current(query, sorted(settled_in - shared.ready.keys()), recent.take)
            )
        outcomes: list[Submitted | BaseException] = []
        events: list[Any] = []
        index_rows: list[tuple[str, str, int]] = []
        key_rows: list[tuple[str, bytes, str]] = []
        search_rows: list[tuple[bytes, str]] = []
        for member in group:
            work = _GroupWork(self.app, shared, now=member.now, default_by=member.default_by)
            try:
                outcome = _decide(work, member)
            except Exception as error:  # answered to this submission alone; nothing kept
                outcomes.append(error)
                continue
            shared.accept(work)
            events += work.events
            index_rows += work.index_rows
            key_rows += work.key_rows
            search_rows += work.search_rows
            outcomes.append(outcome)
        # Kept for the next groups: what the accepted submissions left, and what was read
        # ahead but handed to none.
        committed = [*shared.ready.values(), *shared.cases.values(), *shared.dwellings.values()]
        if not events:  # duplicates (or refusals) only: the accepted ones changed nothing
            recent.keep(committed)
            return outcomes
        try:
            self.app.save(
                *events, index_rows=index_rows, key_rows=key_rows, search_rows=search_rows
            )
        except IntegrityError:
            return None
        except OperationalError as error:
            raise StoreUnavailable("the database is busy or unreachable; try again") from error
        recent.keep(committed)
        return outcomes

    def _usable_keys(self, query: QueryFn, streams: list[str]) -> dict[str, bytes | None]:
        """The key of each stream that has one, and None for each that has none and was never
        erased, in one query (a unit of work asks stream by stream). Erased streams are left
        out: the unit of work finds them and refuses."""
        found: dict[str, bytes | None] = dict.fromkeys(streams)
        for stream, key in self.app.keys.lookup(streams, query).items():
            if key is None:
                del found[stream]
            else:
                found[stream] = key
        return found


class _Submissions:
    """The submissions of one application's threads waiting to be stored.

    One thread at a time leads: it takes the waiting submissions as a group, stores them and
    answers each; the others wait for their answer, or to lead the next group.
    """

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._waiting: deque[Pending] = deque()
        self._leading = False
        self.recent = _Recent()

    def wait_or_lead(self, pending: Pending, lead: Callable[[Pending], None]) -> None:
        """Return once `pending` has its outcome: given by a leader, or by `lead` here."""
        deadline = time.monotonic() + WRITE_TURN_WAIT
        with self._ready:
            self._waiting.append(pending)
            while pending.outcome is None and (self._leading or pending.taken):
                if pending.taken:
                    self._ready.wait()
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    # Not taken yet: nothing of it is stored, and nobody will store it now.
                    self._waiting.remove(pending)
                    raise StoreUnavailable("the database is busy; try again")
                self._ready.wait(remaining)
            if pending.outcome is not None:
                return
            self._leading = True
        try:
            lead(pending)
        finally:
            with self._ready:
                self._leading = False
                self._ready.notify_all()

    def waiting(self) -> int:
        """How many submissions wait to be taken into a group."""
        with self._ready:
            return len(self._waiting)

    def take_group(self) -> list[Pending]:
        """The waiting submissions in arrival order, up to GROUP_RECORDS lines (at least one)."""
        with self._ready:
            group: list[Pending] = []
            size = 0
            while self._waiting and (
                not group or size + len(self._waiting[0].records) <= GROUP_RECORDS
            ):
                member = self._waiting.popleft()
                member.taken = True
                group.append(member)
                size += len(member.records)
            return group

    def answered(self, group: list[Pending]) -> None:
        with self._ready:
            self._ready.notify_all()


class _Recent:
    """Cases and dwellings as the last groups saved them, least recently used dropped first.

    Only the leading thread uses it, one at a time. An aggregate is taken out to be used and
    put back only after a group holding it has committed, so one a refused submission or a
    failed save may have changed never comes back.
    """

    def __init__(self) -> None:
        self._held: OrderedDict[str, Case | Dwelling] = OrderedDict()

    def take(self, aggregate_id: str, version: int) -> Case | Dwelling | None:
        """The aggregate if it is the stored `version` (another process may have written)."""
        held = self._held.pop(aggregate_id, None)
        return held if held is not None and held.version == version else None

    def keep(self, aggregates: Iterable[Case | Dwelling | None]) -> None:
        for aggregate in aggregates:
            if aggregate is not None:
                self._held[aggregate.id] = aggregate
                self._held.move_to_end(aggregate.id)
        while len(self._held) > RECENT_AGGREGATES:
            self._held.popitem(last=False)


class _Decided:
    """What the store held when a group began, and what its accepted submissions left for
    the submissions after them: their aggregates, keys and event ids."""

    def __init__(self, stored_ids: dict[str, str], existing: set[str], checked: set[str]):
        self.ready: dict[str, Case | Dwelling] = {}  # as stored, read for this group
        self.stored_ids = stored_ids
        self.existing = existing
        self.checked = checked
        self.cases: dict[str, Case | None] = {}
        self.dwellings: dict[str, Dwelling | None] = {}
        self.keys: dict[str, bytes | None] = {}
        self.records: dict[str, EventRecord] = {}  # accepted earlier in the group, by id

    def accept(self, work: UnitOfWork) -> None:
        self.cases.update(work.cases)
        self.dwellings.update(work.dwellings)
        self.keys.update(work.keys)
        self.records.update((event_id, record) for event_id, (_, record) in work.seen.items())


class _GroupWork(UnitOfWork):
    """One submission's unit of work inside a group: it starts from the state the accepted
    submissions before it left. Their aggregates are copied before use, so a refused
    submission leaves them as they were."""

    def __init__(self, app: Store, group: _Decided, *, now: datetime, default_by: str):
        super().__init__(
            app,
            now=now,
            default_by=default_by,
            stored_ids=group.stored_ids,
            existing=group.existing,
            checked=group.checked,
        )
        self.group = group
        self.keys.update(group.keys)

    def case(self, ref: str) -> Case | None:
        if ref not in self.cases:
            if ref in self.group.cases:
                self.cases[ref] = copy.deepcopy(self.group.cases[ref])
            elif isinstance(ready := self.group.ready.pop(case_id(ref), None), Case):
                self.cases[ref] = ready
        return super().case(ref)

    def dwelling(self, ref: str) -> Dwelling | None:
        if ref not in self.dwellings:
            if ref in self.group.dwellings:
                self.dwellings[ref] = copy.deepcopy(self.group.dwellings[ref])
            elif isinstance(ready := self.group.ready.pop(dwelling_id(ref), None), Dwelling):
                self.dwellings[ref] = ready
        return super().dwelling(ref)

    def submit(self, line: int, record: EventRecord) -> str:
        earlier = self.group.records.get(record.id)
        if earlier is not None and record.id not in self.seen:
            # Stored by an earlier submission of the group: judged as if already committed.
            if earlier.content() == record.content():
                return DUPLICATE
            raise DuplicateConflict(f"id {record.id} already stored with other content")
        return super().submit(line, record)


def _decide(work: UnitOfWork, submission: Pending) -> Submitted:
    """Decide every line of one submission; raise Refused if any line is refused."""
    result = Submitted()
    failed = list(submission.refusals)
    records = submission.records
    for done, (number, record) in enumerate(records, 1):
        if submission.progress is not None and (done % 500 == 0 or done == len(records)):
            submission.progress(done, len(records))
        try:
            outcome = work.submit(number, record)
        except DomainError as error:
            failed.append(Refusal(number, record.id, error.message, error.code, error))
            continue
        (result.stored if outcome == STORED else result.duplicates).append(record.id)
    if failed:
        raise Refused(sorted(failed, key=lambda r: r.line))
    return result


def _answer_all(group: list[Pending], message: str, cause: BaseException | None = None) -> None:
    for member in group:
        error = StoreUnavailable(message)
        error.__cause__ = cause
        member.outcome = error
