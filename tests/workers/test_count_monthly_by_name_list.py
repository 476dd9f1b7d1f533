"""Monthly by-name figures: each ended month stored once, as Built for Zero counts it."""

from __future__ import annotations

import json

from projections.monthly_figures import monthly_by_name_figures
from tests.conftest import SAMPLES
from tests.workers.conftest import World, oslo
from workers import count_monthly_by_name_list


def without_counted_at(months: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in m.items() if k != "counted_at"} for m in months]


def test_given_the_moss_sample_when_counted_on_new_years_day_then_every_month_of_2023_equals_the_by_name_list(  # noqa: E501
    moss_fresh: World,
) -> None:
    expected = json.loads((SAMPLES / "moss-2023.by-name-list-2023.json").read_text())

    counted = count_monthly_by_name_list.run(
        moss_fresh.app, moss_fresh.store, oslo("2024-01-01 00:45")
    )

    assert counted.months == tuple(f"2023-{m:02d}" for m in range(1, 13))
    assert without_counted_at(monthly_by_name_figures(moss_fresh.store)) == expected["months"]


def test_given_months_counted_when_the_job_runs_again_then_nothing_more_is_stored(
    moss_fresh: World,
) -> None:
    now = oslo("2023-07-15 00:45")
    first = count_monthly_by_name_list.run(moss_fresh.app, moss_fresh.store, now)
    stored = monthly_by_name_figures(moss_fresh.store)

    second = count_monthly_by_name_list.run(moss_fresh.app, moss_fresh.store, now)

    assert first.months == tuple(f"2023-{m:02d}" for m in range(1, 7))
    assert second.months == ()
    assert monthly_by_name_figures(moss_fresh.store) == stored


def test_given_the_last_day_of_a_month_when_the_job_runs_then_that_month_waits_until_it_has_ended(
    moss_fresh: World,
) -> None:
    on_the_last_day = count_monthly_by_name_list.run(
        moss_fresh.app, moss_fresh.store, oslo("2023-03-31 23:00")
    )
    the_day_after = count_monthly_by_name_list.run(
        moss_fresh.app, moss_fresh.store, oslo("2023-04-01 00:45")
    )

    assert on_the_last_day.months == ("2023-01", "2023-02")
    assert the_day_after.months == ("2023-03",)
    assert [
        m["month"] for m in monthly_by_name_figures(moss_fresh.store, "2023-02", "2023-03")
    ] == [
        "2023-02",
        "2023-03",
    ]
