"""Group commit: threads of one application submitting at once share one transaction, and
each still gets its own answer (stored, duplicate or refused) after the commit.

The threads share one `Boligspor`, as the API's request threads do. (Writers in separate
processes: tests/reliability/test_concurrent_writers.py.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from domain import group_commit
from domain.application import Boligspor, Refused, Submitted
from domain.case import case_id
from domain.errors import StoreUnavailable
from domain.group_commit import write_turn
from tests.reliability.events import dwelling, follow_up, opened, settled

Outcome = Submitted | BaseException


@pytest.fixture
def app(new_app: Callable[[], Boligspor], monkeypatch: pytest.MonkeyPatch) -> Iterator[Boligspor]:
    """An application with a dwelling and case S-1, counting its saves in `app.saves`."""
    # A loaded machine must not turn a queued submission into "busy" while a test holds it.
    monkeypatch.setattr(group_commit, "WRITE_TURN_WAIT", 30.0)
    made = new_app()
    made.submit([(1, dwelling("B-1", "d1")), (2, opened("S-1", "c1"))])
    saves: list[int] = []
    real_save = made.save

    def counting_save(*objects: Any, **kwargs: Any) -> Any:
        saves.append(len(objects))
        return real_save(*objects, **kwargs)

    monkeypatch.setattr(made, "save", counting_save)
    made.saves = saves  # type: ignore[attr-defined]
    yield made
    made.close()


def submit(app: Boligspor, *events: dict[str, Any]) -> Outcome:
    try:
        return app.submit(list(enumerate(events, 1)), default_by="test")
    except Exception as error:
        return error


def queued(app: Boligspor) -> int:
    return app.group_commit.waiting()


def one_group(app: Boligspor, submissions: list[list[dict[str, Any]]]) -> list[Outcome]:
    """Submit each list of events from its own thread while this thread holds the write turn,
    so that they queue in this order; then let them through. The first thread leads alone
    (it took its group before waiting for the turn); the rest are stored as one group."""
    turn = write_turn(app.settings.database_url)
    pool = ThreadPoolExecutor(len(submissions))
    futures: list[Future[Outcome]] = []
    with turn:
        for events in submissions:
            futures.append(pool.submit(submit, app, *events))
            deadline = time.monotonic() + 10
            # The first submission is taken by its leader at once; each later one queues.
            while queued(app) < len(futures) - 1 and time.monotonic() < deadline:
                time.sleep(0.001)
            assert queued(app) == len(futures) - 1
    outcomes = [future.result(timeout=60) for future in futures]
    pool.shutdown()
    return outcomes


def stored_ids(app: Boligspor, ref: str) -> list[str]:
    return [entry.event_id for entry in app.get_case(ref).history]


def test_submissions_queued_together_are_decided_in_order_and_saved_in_one_transaction(
    app: Boligspor,
) -> None:
    base_saves = len(app.saves)  # type: ignore[attr-defined]
    outcomes = one_group(
        app,
        [
            [follow_up("S-1", "lead")],  # leads alone
            [opened("S-2", "c2")],
            [follow_up("S-2", "f2")],  # sees S-2 opened by the submission before it
            [follow_up("S-2", "f2")],  # the same id and content again: a duplicate
            [follow_up("S-2", "f2", minutes=45)],  # the same id, other content: refused
            [follow_up("S-2", "f3"), follow_up("S-404", "f4")],  # one line refused: none kept
            [follow_up("S-2", "f5")],  # after the refused one: unaffected by it
            [follow_up("S-404", "f6")],  # refused alone
            [settled("S-1", "s1", "B-1")],
            [settled("S-2", "s2", "B-1")],  # B-1 holds S-1 since the one before: refused
        ],
    )

    assert isinstance(outcomes[0], Submitted) and outcomes[0].stored == ["lead"]
    assert isinstance(outcomes[1], Submitted) and outcomes[1].stored == ["c2"]
    assert isinstance(outcomes[2], Submitted) and outcomes[2].stored == ["f2"]
    assert isinstance(outcomes[3], Submitted)
    assert (outcomes[3].stored, outcomes[3].duplicates) == ([], ["f2"])
    assert isinstance(outcomes[4], Refused) and outcomes[4].refusals[0].code == "duplicate_conflict"
    assert isinstance(outcomes[5], Refused)
    assert [(r.line, r.event_id) for r in outcomes[5].refusals] == [(2, "f4")]
    assert isinstance(outcomes[6], Submitted) and outcomes[6].stored == ["f5"]
    assert isinstance(outcomes[7], Refused) and outcomes[7].refusals[0].event_id == "f6"
    assert isinstance(outcomes[8], Submitted) and outcomes[8].stored == ["s1"]
    assert isinstance(outcomes[9], Refused)
    assert "dwelling B-1 holds" in outcomes[9].refusals[0].message

    # One save for the leader, one for the nine queued behind it.
    assert len(app.saves) - base_saves == 2  # type: ignore[attr-defined]
    assert stored_ids(app, "S-1") == ["c1", "lead", "s1"]
    assert stored_ids(app, "S-2") == ["c2", "f2", "f5"]
    assert app.get_case("S-2").version == 3
    assert app.lookup_ids(["f3", "f4", "f6", "s2"]) == {}
    occupied = app.get_dwelling("B-1")
    assert occupied is not None and list(occupied.occupancy) == ["S-1"]
    assert app.case_person("S-2") == opened("S-2", "c2")["person"]


def test_a_group_that_fails_to_save_answers_every_member_and_stores_nothing(
    app: Boligspor, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = app.max_position()

    def failing_save(*objects: Any, **kwargs: Any) -> Any:
        raise OperationalError("the server went away")

    monkeypatch.setattr(app, "save", failing_save)
    outcomes = one_group(app, [[follow_up("S-1", f"x{n}")] for n in range(5)])

    assert all(isinstance(o, StoreUnavailable) for o in outcomes), outcomes
    assert app.max_position() == before


def test_a_group_that_lost_a_race_to_another_process_is_decided_again_and_stored(
    app: Boligspor, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = app.save
    lost: list[int] = []

    def save_after_losing_once(*objects: Any, **kwargs: Any) -> Any:
        if not lost:
            lost.append(len(objects))
            raise IntegrityError("another writer stored version 2 first")
        return real_save(*objects, **kwargs)

    monkeypatch.setattr(app, "save", save_after_losing_once)
    outcomes = one_group(app, [[follow_up("S-1", f"r{n}")] for n in range(4)])

    assert lost == [1]
    assert [o.stored for o in outcomes if isinstance(o, Submitted)] == [[f"r{n}"] for n in range(4)]
    assert stored_ids(app, "S-1") == ["c1", "r0", "r1", "r2", "r3"]


def test_many_threads_on_one_case_lose_and_duplicate_nothing(app: Boligspor) -> None:
    def writer(number: int) -> list[str]:
        acknowledged = []
        for i in range(15):
            event_id = f"w{number}-{i}"
            outcome = submit(app, follow_up("S-1", event_id))
            assert isinstance(outcome, Submitted), outcome
            assert outcome.stored == [event_id]
            acknowledged.append(event_id)
        return acknowledged

    saves_before = len(app.saves)  # type: ignore[attr-defined]
    with ThreadPoolExecutor(16) as pool:
        acknowledged = [e for ids in pool.map(writer, range(16)) for e in ids]

    stored = stored_ids(app, "S-1")
    assert len(acknowledged) == 240
    assert sorted(stored[1:]) == sorted(acknowledged)
    assert len(set(stored)) == len(stored)
    assert app.get_case("S-1").version == 1 + len(acknowledged)
    assert set(app.lookup_ids(acknowledged).values()) == {case_id("S-1")}
    # Threads that arrive while another stores wait and are stored together.
    assert len(app.saves) - saves_before < len(acknowledged)  # type: ignore[attr-defined]


def test_many_threads_on_their_own_cases_lose_and_duplicate_nothing(app: Boligspor) -> None:
    app.submit([(n, opened(f"S-{n}", f"c{n}")) for n in range(2, 18)])

    def writer(number: int) -> tuple[list[str], list[str]]:
        ref = f"S-{number}"
        acknowledged, refused = [], []
        for i in range(12):
            event_id = f"{ref}-{i}"
            if i % 4 == 3:  # every fourth is refused: its case does not exist
                outcome = submit(app, follow_up(f"X-{number}", event_id))
                assert isinstance(outcome, Refused), outcome
                refused.append(event_id)
                continue
            outcome = submit(app, follow_up(ref, event_id))
            assert isinstance(outcome, Submitted) and outcome.stored == [event_id], outcome
            acknowledged.append(event_id)
        return acknowledged, refused

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(writer, range(2, 18)))

    for number, (acknowledged, refused) in zip(range(2, 18), results, strict=True):
        ref = f"S-{number}"
        assert stored_ids(app, ref) == [f"c{number}", *acknowledged]
        assert app.get_case(ref).version == 1 + len(acknowledged)
        assert app.lookup_ids(refused) == {}


def test_the_same_event_id_from_many_threads_at_once_is_stored_once(app: Boligspor) -> None:
    start = threading.Barrier(16)

    def writer(_: int) -> Outcome:
        start.wait()
        return submit(app, follow_up("S-1", "same"))

    with ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(writer, range(16)))

    assert all(isinstance(o, Submitted) for o in outcomes), outcomes
    answers = [(o.stored, o.duplicates) for o in outcomes if isinstance(o, Submitted)]
    assert answers.count((["same"], [])) == 1
    assert answers.count(([], ["same"])) == 15
    assert stored_ids(app, "S-1") == ["c1", "same"]


def test_the_same_event_id_twice_in_one_group_is_stored_once(app: Boligspor) -> None:
    outcomes = one_group(
        app,
        [[follow_up("S-1", "lead")], [follow_up("S-1", "twice")], [follow_up("S-1", "twice")]],
    )

    answers = [(o.stored, o.duplicates) for o in outcomes if isinstance(o, Submitted)]
    assert answers == [(["lead"], []), (["twice"], []), ([], ["twice"])]
    assert stored_ids(app, "S-1") == ["c1", "lead", "twice"]


def test_what_another_process_stored_since_is_seen_by_the_next_submission(
    app: Boligspor, new_app: Callable[[], Boligspor]
) -> None:
    # The leading thread keeps the aggregates a group saved; another writer (here a second
    # application on the same database, as another process would be) moves them on.
    assert isinstance(submit(app, follow_up("S-1", "a1")), Submitted)
    other = Boligspor(app.settings, clock=app.clock)
    try:
        other.submit([(1, settled("S-1", "b1", "B-1"))])
    finally:
        other.close()
    moved_out = {
        "id": "a2",
        "type": "MovedOut",
        "case": "S-1",
        "on": "2023-05-02",
        "reason": "lease_ended",
    }

    outcome = submit(app, moved_out)  # refused on the state before the settlement

    assert isinstance(outcome, Submitted) and outcome.stored == ["a2"], outcome
    assert stored_ids(app, "S-1") == ["c1", "a1", "b1", "a2"]
    occupied = app.get_dwelling("B-1")
    assert occupied is not None
    assert occupied.occupancy["S-1"] == [(date(2023, 4, 3), date(2023, 5, 2))]


def test_a_refused_submission_leaves_nothing_behind_for_the_next(app: Boligspor) -> None:
    assert isinstance(submit(app, follow_up("S-1", "k1")), Submitted)
    refused = submit(app, follow_up("S-1", "k2"), follow_up("S-404", "k3"))
    assert isinstance(refused, Refused)

    assert isinstance(submit(app, follow_up("S-1", "k4")), Submitted)

    assert stored_ids(app, "S-1") == ["c1", "k1", "k4"]
    assert app.get_case("S-1").version == 3


def test_nothing_more_is_logged_on_an_erased_case_alone_or_in_a_group(app: Boligspor) -> None:
    assert isinstance(submit(app, follow_up("S-1", "before")), Submitted)  # its key is known
    app.erase_case("S-1", reason="oppbevaringstiden er ute", by="admin")

    alone = submit(app, follow_up("S-1", "after"))
    grouped = one_group(
        app, [[follow_up("S-1", "lead")], [opened("S-3", "c3")], [follow_up("S-1", "late")]]
    )

    assert isinstance(alone, Refused) and alone.refusals[0].code == "case_erased"
    assert isinstance(grouped[0], Refused) and grouped[0].refusals[0].code == "case_erased"
    assert isinstance(grouped[1], Submitted) and grouped[1].stored == ["c3"]
    assert isinstance(grouped[2], Refused) and grouped[2].refusals[0].code == "case_erased"
    assert stored_ids(app, "S-1") == ["c1", "before"]
