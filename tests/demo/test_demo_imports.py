"""The whole demo municipality passes the real import: no line is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.application import Boligspor, Refused
from domain.demo import generate
from tests.conftest import TODAY_NOW

# The demo goes in as consecutive imports of this many lines, like a set of files.
CHUNK = 5000


@pytest.mark.slow
def test_the_whole_demo_imports_with_zero_refused_lines(
    new_app: Callable[[], Boligspor],
) -> None:
    app = new_app()
    events = list(generate(2023, today=TODAY_NOW.date()))
    lines = list(enumerate(events, 1))
    stored = 0
    for start in range(0, len(lines), CHUNK):
        try:
            result = app.submit(lines[start : start + CHUNK], default_by="demo")
        except Refused as refused:
            shown = "\n".join(str(refusal) for refusal in refused.refusals[:20])
            pytest.fail(f"{len(refused.refusals)} demo line(s) refused:\n{shown}")
        stored += len(result.stored)
    assert stored == len(events)
    exported = list(app.export())
    assert [e["id"] for e in exported] == [e["id"] for e in events]
    assert [{k: v for k, v in e.items() if k != "by"} for e in exported] == [
        {k: v for k, v in e.items() if k != "by"} for e in events
    ]


def test_small_demos_of_other_seeds_import_with_zero_refused_lines(
    new_app: Callable[[], Boligspor],
) -> None:
    for seed in (1, 42):
        app = new_app()
        events = list(generate(seed, today=TODAY_NOW.date(), scale="small"))
        result = app.submit(list(enumerate(events, 1)), default_by="demo")
        assert len(result.stored) == len(events)
