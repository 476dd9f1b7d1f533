"""The watch list: each condition raises one alert, once, and clears it when it ends."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from projections.alerts import all_alerts, open_alerts
from projections.status_report import status_report
from tests.conftest import SAMPLES
from tests.workers.conftest import Story, World, oslo
from workers import raise_watch_list_alerts

SEPTEMBER_1 = oslo("2023-09-01 06:00")


def kinds(world: World, kind: str) -> list[str]:
    return [a.alert_id for a in open_alerts(world.store) if a.kind == kind]


def test_given_the_moss_sample_when_the_watch_list_runs_on_1_september_2023_then_it_matches_the_status_report(  # noqa: E501
    moss_fresh: World,
) -> None:
    expected = json.loads((SAMPLES / "moss-2023.status-2023-09-01.json").read_text())
    status = status_report(moss_fresh.store, date(2023, 9, 1))

    raise_watch_list_alerts.run(moss_fresh.app, moss_fresh.store, SEPTEMBER_1)

    housing = expected["temporary_housing"]
    assert len(kinds(moss_fresh, "stay-90")) == housing["over_90_nights"] == 8
    assert len(kinds(moss_fresh, "stay-children")) == housing["households_with_children"]
    assert len(kinds(moss_fresh, "lease-ending")) == expected["leases_expiring_90_days"]
    assert status["temporary_housing"] == housing
    assert all(a.raised_at == SEPTEMBER_1.isoformat() for a in open_alerts(moss_fresh.store))


def test_given_alerts_raised_when_the_watch_list_runs_again_with_the_same_now_then_nothing_changes(
    moss_fresh: World,
) -> None:
    first = raise_watch_list_alerts.run(moss_fresh.app, moss_fresh.store, SEPTEMBER_1)
    before = all_alerts(moss_fresh.store)

    second = raise_watch_list_alerts.run(moss_fresh.app, moss_fresh.store, SEPTEMBER_1)

    assert first.raised == first.open > 0
    assert (second.raised, second.reopened, second.cleared) == (0, 0, 0)
    assert all_alerts(moss_fresh.store) == before
    assert len({a.alert_id for a in before}) == len(before)


def test_given_a_stay_over_90_nights_when_the_clock_passes_its_end_then_its_alert_is_cleared(
    moss_fresh: World,
) -> None:
    raise_watch_list_alerts.run(moss_fresh.app, moss_fresh.store, SEPTEMBER_1)
    ends = {}
    over_90 = kinds(moss_fresh, "stay-90")
    with moss_fresh.store.reading() as tx:
        for alert_id in over_90:
            _, case_ref, stay_ref = alert_id.split(":")
            row = tx.query_one(
                "SELECT ended_on FROM rm_stays WHERE case_ref = ? AND stay_ref = ?",
                (case_ref, stay_ref),
            )
            assert row is not None
            ends[alert_id] = str(row[0])
    first_end = min(ends.values())
    later = oslo(f"{first_end} 06:00")

    raise_watch_list_alerts.run(moss_fresh.app, moss_fresh.store, later)

    cleared = {a.alert_id: a for a in all_alerts(moss_fresh.store) if a.cleared_at is not None}
    for alert_id, ended_on in ends.items():
        assert (alert_id in cleared) == (ended_on <= first_end)
    assert {a.cleared_at for a in cleared.values() if a.kind == "stay-90"} == {later.isoformat()}


def test_given_the_moss_sample_when_alerts_are_filtered_by_team_then_each_names_that_team(
    moss_fresh: World,
) -> None:
    raise_watch_list_alerts.run(moss_fresh.app, moss_fresh.store, SEPTEMBER_1)

    everyone = open_alerts(moss_fresh.store)
    caretaker = open_alerts(moss_fresh.store, team="caretaker")

    assert caretaker
    assert all("caretaker" in a.teams for a in caretaker)
    assert {a.alert_id for a in caretaker} == {
        a.alert_id for a in everyone if "caretaker" in a.teams
    }
    assert all("caretaker" in a.teams for a in everyone if a.kind.startswith("complaint-"))


def test_given_a_stay_when_it_passes_14_and_then_90_nights_then_each_alert_is_raised_once_cleared_when_it_ends_and_reopened_if_the_end_is_retracted(  # noqa: E501
    new_world: Callable[[], World],
) -> None:
    world = new_world()
    story = Story(world.app)
    story.opened("S-1", "2023-01-01", children=2)
    story.case("S-1", "TemporaryStayStarted", "2023-01-01", stay="t1", kind="hotel")
    story.case("S-1", "FollowUpLogged", "2023-01-02", team="nav", kind="phone", minutes=10)

    def run(day: str) -> list[str]:
        raise_watch_list_alerts.run(world.app, world.store, oslo(f"{day} 06:00"))
        return sorted(a.alert_id for a in open_alerts(world.store))

    assert run("2023-01-15") == ["stay-children:S-1:t1"]
    assert run("2023-01-16") == ["stay-14:S-1:t1", "stay-children:S-1:t1"]
    assert run("2023-04-01") == ["stay-14:S-1:t1", "stay-children:S-1:t1"]
    assert run("2023-04-02") == ["stay-14:S-1:t1", "stay-90:S-1:t1", "stay-children:S-1:t1"]
    assert open_alerts(world.store, team="nav")[0].teams == ("nav",)
    ended = story.case("S-1", "TemporaryStayEnded", "2023-04-10", stay="t1")
    assert run("2023-04-09") == ["stay-14:S-1:t1", "stay-90:S-1:t1", "stay-children:S-1:t1"]
    assert run("2023-04-10") == []
    raised = {a.alert_id: a.raised_on for a in all_alerts(world.store)}
    assert raised == {
        "stay-children:S-1:t1": "2023-01-15",
        "stay-14:S-1:t1": "2023-01-16",
        "stay-90:S-1:t1": "2023-04-02",
    }
    story.case("S-1", "EventRetracted", "2023-04-11", target=ended, reason="logged in error")
    assert run("2023-04-11") == ["stay-14:S-1:t1", "stay-90:S-1:t1", "stay-children:S-1:t1"]
    assert {a.alert_id: a.raised_on for a in open_alerts(world.store)} == raised


def test_given_leases_follow_ups_and_complaints_when_their_thresholds_pass_then_alerts_rise_and_clear(  # noqa: E501
    new_world: Callable[[], World],
) -> None:
    world = new_world()
    story = Story(world.app)
    story.opened("S-1", "2023-01-01")
    story.case("S-1", "Settled", "2023-01-10", tenure="private_rental", lease_until="2023-06-30")
    story.opened("S-2", "2023-01-01")
    story.case("S-2", "HousingFirstEnrolled", "2023-03-01")
    story.case("S-2", "FollowUpLogged", "2023-03-05", team="housing_first", kind="phone", minutes=5)
    story.case(
        "S-1",
        "ComplaintReceived",
        "2023-02-01",
        complaint="K-1",
        category="noise",
        source="neighbour",
    )

    def run(day: str) -> list[str]:
        raise_watch_list_alerts.run(world.app, world.store, oslo(f"{day} 06:00"))
        return sorted(a.alert_id for a in open_alerts(world.store))

    assert run("2023-03-03") == []
    assert run("2023-03-04") == ["complaint-30:S-1:K-1"]
    assert run("2023-03-18") == ["complaint-30:S-1:K-1"]
    assert run("2023-03-19") == ["complaint-30:S-1:K-1", "follow-up-gap:S-2:2023-03-05"]
    assert [a.teams for a in open_alerts(world.store, team="housing_first")] == [("housing_first",)]
    assert [a.alert_id for a in open_alerts(world.store, team="caretaker")] == [
        "complaint-30:S-1:K-1"
    ]
    story.case("S-2", "FollowUpLogged", "2023-03-20", team="housing_first", kind="phone", minutes=5)
    story.case("S-1", "ComplaintClosed", "2023-03-20", complaint="K-1", outcome="resolved")
    assert run("2023-03-20") == []
    assert run("2023-04-01") == ["lease-ending:S-1:2023-06-30"]
    story.case("S-1", "LeaseRenewed", "2023-04-02", lease_until="2025-06-30")
    assert run("2023-04-02") == []
    assert run("2023-04-03") == ["follow-up-gap:S-2:2023-03-20"]


def test_given_a_municipality_that_chooses_60_complaint_days_when_the_watch_list_runs_then_complaints_wait_60_days(  # noqa: E501
    new_world: Callable[[], World],
) -> None:
    world = new_world()
    chosen = replace(world.app.municipality.watch_list, complaint_days=60)
    world.app.municipality = replace(world.app.municipality, watch_list=chosen)
    story = Story(world.app)
    story.opened("S-1", "2023-01-01")
    story.case(
        "S-1",
        "ComplaintReceived",
        "2023-02-01",
        complaint="K-1",
        category="noise",
        source="neighbour",
    )

    def run(day: str) -> list[str]:
        raise_watch_list_alerts.run(world.app, world.store, oslo(f"{day} 06:00"))
        return sorted(a.alert_id for a in open_alerts(world.store))

    assert run("2023-03-04") == []
    assert run("2023-04-02") == []
    assert run("2023-04-03") == ["complaint-60:S-1:K-1"]
