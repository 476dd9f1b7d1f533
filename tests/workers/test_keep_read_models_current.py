"""Keeping the read models current: new events are applied once, the lag goes to zero."""

from __future__ import annotations

from collections.abc import Callable

from projections.runner import lag
from tests.workers.conftest import Story, World, oslo
from workers import keep_read_models_current

NOW = oslo("2023-05-01 12:00")


def test_given_new_events_when_the_job_runs_twice_then_they_are_applied_once_and_nothing_lags(
    new_world: Callable[[], World],
) -> None:
    world = new_world()
    story = Story(world.app)
    story.opened("S-1", "2023-01-01")
    story.case("S-1", "TemporaryStayStarted", "2023-01-02", stay="t1", kind="hostel")

    first = keep_read_models_current.run(world.app, world.store, NOW)
    second = keep_read_models_current.run(world.app, world.store, NOW)
    story.case("S-1", "TemporaryStayEnded", "2023-01-09", stay="t1")
    third = keep_read_models_current.run(world.app, world.store, NOW)

    assert (first.applied, first.behind) == (2, 0)
    assert (second.applied, second.behind) == (0, 0)
    assert (third.applied, third.behind) == (1, 0)
    assert set(lag(world.app, world.store).values()) == {0}
