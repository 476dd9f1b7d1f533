"""Annual figures as reported: frozen on 1 January, and the late entries that changed them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from projections.reported_figures import as_reported, changes_since_reported
from tests.conftest import SAMPLES
from tests.workers.conftest import World, oslo
from workers import freeze_annual_figures

NEW_YEAR = oslo("2024-01-01 00:30")


def event(event_id: str, type_: str, case: str, on: str, **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "type": type_, "case": case, "on": on, "by": "u1", **fields}


def test_given_2023_frozen_on_new_years_day_when_late_entries_arrive_then_changes_since_reported_names_them_with_old_and_new_figures(  # noqa: E501
    moss_copy: World,
) -> None:
    world = moss_copy
    frozen = freeze_annual_figures.run(world.app, world.store, NEW_YEAR)
    snapshot = as_reported(world.store, 2023)

    assert frozen.year == 2023 and frozen.made
    assert snapshot is not None and snapshot.made_at == NEW_YEAR.isoformat()
    assert snapshot.position == frozen.position == world.app.max_position()
    assert snapshot.report == json.loads((SAMPLES / "moss-2023.annual-2023.json").read_text())
    unchanged = changes_since_reported(world.app, world.store, 2023, date(2024, 1, 2))
    assert unchanged is not None and unchanged.figures == [] and unchanged.events == []

    world.app.submit(
        [
            (
                1,
                event(
                    "late-1",
                    "FollowUpLogged",
                    "S-00072",
                    "2023-06-01",
                    team="caretaker",
                    kind="home_visit",
                    minutes=45,
                ),
            ),
            (
                2,
                event(
                    "late-2",
                    "EventRetracted",
                    "S-00153",
                    "2024-01-02",
                    target="ev-0002773",
                    reason="wrong case",
                ),
            ),
            (
                3,
                event(
                    "late-3",
                    "FollowUpLogged",
                    "S-00072",
                    "2024-01-02",
                    team="caretaker",
                    kind="phone",
                    minutes=5,
                ),
            ),
        ]
    )
    changes = changes_since_reported(world.app, world.store, 2023, date(2024, 1, 3))

    assert changes is not None
    assert [e.event_id for e in changes.events] == ["late-1", "late-2"]
    assert changes.events[1].retracted_id == "ev-0002773"
    by_figure = {f.figure: f for f in changes.figures}
    caretaker = snapshot.report["follow_up"]["by_team"]["caretaker"]
    contacts = by_figure["follow_up.by_team.caretaker.contacts"]
    assert (contacts.reported, contacts.now) == (caretaker["contacts"], caretaker["contacts"] + 1)
    assert contacts.events == ("late-1",)
    minutes = by_figure["follow_up.by_team.caretaker.minutes"]
    assert minutes.now - minutes.reported == 45
    health = by_figure["concerns.by_recipient.health"]
    assert (health.reported - health.now, health.events) == (1, ("late-2",))
    assert set(by_figure) <= {
        "follow_up.by_team.caretaker.contacts",
        "follow_up.by_team.caretaker.minutes",
        "follow_up.by_team.caretaker.households",
        "concerns.by_recipient.health",
    }
    assert any("late-1" in line for line in changes.lines())
    assert json.loads(json.dumps(changes.to_json()))["events"][0]["id"] == "late-1"

    again = freeze_annual_figures.run(world.app, world.store, NEW_YEAR)
    later = freeze_annual_figures.run(world.app, world.store, oslo("2024-01-01 09:00"))

    assert not again.made and not later.made
    assert as_reported(world.store, 2023) == snapshot


def test_given_a_year_never_frozen_when_changes_are_asked_for_then_there_is_no_snapshot(
    new_world: Callable[[], World],
) -> None:
    world = new_world()

    assert as_reported(world.store, 2022) is None
    assert changes_since_reported(world.app, world.store, 2022, date(2023, 1, 5)) is None
