"""Threads of one process writing at once lose nothing, duplicate nothing, break no rule.

(Writers in separate processes: tests/reliability/test_concurrent_writers.py.)
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from domain.application import Boligspor, Refused
from domain.case import case_id
from tests.conftest import TODAY_NOW, make_settings
from tests.reliability.events import dwelling, follow_up, opened

DWELLING = dwelling("B-1", "d1")


def test_sixteen_writers_on_one_case_lose_and_duplicate_nothing(
    new_app: Callable[[], Boligspor],
) -> None:
    first = new_app()
    first.submit([(1, opened("S-1", "c1"))])
    url = first.settings.database_url

    def writer(number: int) -> list[str]:
        app = Boligspor(make_settings(url), clock=lambda: TODAY_NOW)
        acknowledged = []
        try:
            for i in range(25):
                event_id = f"w{number}-{i}"
                app.submit([(1, follow_up("S-1", event_id))])
                acknowledged.append(event_id)
        finally:
            app.close()  # its connections now, not when the collector finds it
        return acknowledged

    with ThreadPoolExecutor(16) as pool:
        acknowledged = [e for ids in pool.map(writer, range(16)) for e in ids]
    case = first.get_case("S-1")
    stored = [entry.event_id for entry in case.history]
    assert len(acknowledged) == 400
    assert sorted(stored[1:]) == sorted(acknowledged)
    assert len(set(stored)) == len(stored)
    assert case.version == 1 + len(acknowledged)
    assert first.lookup_ids(acknowledged).keys() == set(acknowledged)
    assert set(first.lookup_ids(acknowledged).values()) == {case_id("S-1")}


def test_ten_households_racing_for_one_dwelling_settle_one(
    new_app: Callable[[], Boligspor],
) -> None:
    first = new_app()
    lines: list[tuple[int, object]] = [(1, DWELLING)]
    lines += [(n + 2, opened(f"S-{n}", f"c{n}")) for n in range(10)]
    first.submit(lines)  # type: ignore[arg-type]
    url = first.settings.database_url

    def settle(number: int) -> bool:
        app = Boligspor(make_settings(url), clock=lambda: TODAY_NOW)
        event = {
            "id": f"s{number}",
            "type": "Settled",
            "case": f"S-{number}",
            "on": f"2023-03-{number + 1:02d}",
            "tenure": "municipal_rental",
            "dwelling": "B-1",
        }
        try:
            app.submit([(1, event)])
        except Refused as refused:
            assert "dwelling B-1 holds" in refused.refusals[0].message
            return False
        finally:
            app.close()
        return True

    with ThreadPoolExecutor(10) as pool:
        outcomes = list(pool.map(settle, range(10)))
    assert outcomes.count(True) == 1
    dwelling = first.get_dwelling("B-1")
    assert dwelling is not None
    assert len(dwelling.occupancy) == 1
