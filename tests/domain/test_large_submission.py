"""A large submission is one transaction and completes on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from domain.application import Boligspor
from domain.demo import generate


def test_the_whole_demo_municipality_imports_in_one_submission(
    new_app: Callable[[], Boligspor],
) -> None:
    events = list(generate(2023, today=date(2026, 11, 21)))
    assert len(events) > 15_000
    app = new_app()
    result = app.submit(list(enumerate(events, 1)), default_by="demo")
    assert len(result.stored) == len(events)
    assert [e["id"] for e in app.export()] == [e["id"] for e in events]
