"""The outcome report's and the data-quality lists' definitions at their edges (FIGURES.md,
contract v2), one small story each, on both backends: what the samples do not pin down."""

from __future__ import annotations

from datetime import date, timedelta

from projections.data_quality import data_quality
from projections.db import ReadStore
from projections.outcome_report import outcome_report
from tests.projections.events import Story

TODAY = date(2026, 11, 21)


def days_after(day: str, n: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=n)).isoformat()


def registered(story: Story, ref: str) -> None:
    story.dwelling(
        ref, "DwellingRegistered", "2015-01-01", category="ordinary_municipal", district="reier",
        rooms=2,
    )  # fmt: skip


def test_first_time_homeless_looks_back_730_days_before_1_january(store: ReadStore) -> None:
    story = Story()
    # S-1 homeless on 2 January 2022 only: 729 days before 1 January 2024 (not first time);
    # S-2 homeless on 1 January 2022 only: 730 days before (still not); S-3 on 31 December
    # 2021: 731 days before, outside the look-back (first time).
    for ref, day in (("S-1", "2022-01-02"), ("S-2", "2022-01-01"), ("S-3", "2021-12-31")):
        story.opened(ref, day, situation="rough")
        story.case(ref, "SituationChanged", days_after(day, 1), situation="unsuitable")
        story.case(ref, "SituationChanged", "2024-03-01", situation="rough")
    story.load(store)
    outcomes = outcome_report(store, 2024, TODAY)["outcomes"]
    assert outcomes["homeless_in_year"] == 3
    assert outcomes["first_time_homeless"] == 1
    assert outcomes["median_days_homeless"] == 306  # 1 March to 31 December 2024


def test_returns_count_from_the_first_settlement_from_homelessness_in_y_minus_2(
    store: ReadStore,
) -> None:
    story = Story()
    registered(story, "B-1")
    registered(story, "B-2")
    # S-1: settled from a stay on 1 March 2022, moves out and is homeless 182 days later.
    # S-2: the same, 183 days later (within 12 months, not 6).
    for ref, dwelling, gap in (("S-1", "B-1", 182), ("S-2", "B-2", 183)):
        story.opened(ref, "2022-01-10", situation="rough")
        story.case(ref, "Settled", "2022-03-01", tenure="municipal_rental", dwelling=dwelling,
                   lease_until="2027-01-01")  # fmt: skip
        story.case(ref, "MovedOut", days_after("2022-03-01", gap), reason="own_choice")
        story.case(ref, "SituationChanged", days_after("2022-03-01", gap), situation="rough")
    # S-3: settled privately in 2022 while not homeless the day before: not in the cohort.
    story.opened("S-3", "2022-01-10", situation="unsuitable")
    story.case("S-3", "Settled", "2022-05-01", tenure="private_rental")
    story.load(store)
    returns = outcome_report(store, 2024, TODAY)["outcomes"]["returns_to_homelessness"]
    assert returns == {
        "cohort": 2,
        "within_6_months": 1,
        "within_12_months": 2,
        "within_24_months": 2,
    }


def test_a_transfer_is_no_new_household(store: ReadStore) -> None:
    story = Story()
    registered(story, "B-1")
    registered(story, "B-2")
    story.opened("S-1", "2023-01-10", situation="rough")
    story.approved("S-1", "2023-01-10", "2023-02-01")
    story.case("S-1", "Settled", "2023-06-01", tenure="municipal_rental", dwelling="B-1",
               lease_until="2026-06-01")  # fmt: skip
    # A tenant applies for another dwelling: received, approved, moves over the same day.
    story.approved("S-1", "2024-02-01", "2024-03-01")
    story.case("S-1", "MovedOut", "2024-05-01", reason="other")
    story.case("S-1", "Settled", "2024-05-01", tenure="municipal_rental", dwelling="B-2",
               lease_until="2027-05-01")  # fmt: skip
    story.load(store)
    kostra = outcome_report(store, 2024, TODAY)["kostra"]
    assert kostra["applications"]["received"] == 1
    assert kostra["applications"]["new_households"] == 0
    assert kostra["allocated"]["total"] == 1
    assert kostra["allocated"]["new_households"] == 0
    assert kostra["allocated"]["by_group"] == {
        "refugees": 0, "adapted": 0, "mental_health_substance": 0, "other": 1,
    }  # fmt: skip


def test_the_share_of_short_stays_has_one_decimal_halves_rounded_up(store: ReadStore) -> None:
    story = Story()
    # 16 households with a stay in 2024: 1 of 14 nights, 15 of 15 nights: 6.25 % → 6.3;
    # with one more of 1 night: 2 of 17 = 11.76… → 11.8.
    for n in range(16):
        ref = f"S-{n}"
        story.opened(ref, "2024-01-01", situation="rough")
        story.case(ref, "TemporaryStayStarted", "2024-02-01", stay="t1", kind="hotel")
        story.case(ref, "TemporaryStayEnded", "2024-02-15" if n == 0 else "2024-02-16", stay="t1")
    story.load(store)
    temporary = outcome_report(store, 2024, TODAY)["kostra"]["temporary_housing"]
    assert temporary["households"] == 16
    assert temporary["households_14_nights_or_fewer"] == 1
    assert temporary["share_14_nights_or_fewer"] == 6.3
    story.opened("S-99", "2024-01-01", situation="rough")
    story.case("S-99", "TemporaryStayStarted", "2024-03-01", stay="t1", kind="hotel")
    story.case("S-99", "TemporaryStayEnded", "2024-03-02", stay="t1")
    story.load(store)
    assert (
        outcome_report(store, 2024, TODAY)["kostra"]["temporary_housing"][
            "share_14_nights_or_fewer"
        ]
        == 11.8
    )


def test_a_pending_application_ends_with_its_decision_withdrawal_or_closing(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2024-01-01", situation="unsuitable")
    story.case("S-1", "ApplicationReceived", "2024-01-10")
    story.opened("S-2", "2024-01-01", situation="unsuitable")
    story.case("S-2", "ApplicationReceived", "2024-01-10")
    story.case("S-2", "Withdrawn", "2024-03-01", reason="own_solution")
    story.opened("S-3", "2024-01-01", situation="unsuitable")
    story.case("S-3", "ApplicationReceived", "2024-01-10")
    story.case("S-3", "CaseClosed", "2024-03-01", reason="flyttet")
    story.load(store)

    def pending(day: date) -> list[str]:
        return list(data_quality(store, day)["checks"]["decision_pending_over_30_days"])

    assert pending(date(2024, 2, 9)) == []  # received 30 days before: not more than 30
    assert pending(date(2024, 2, 10)) == ["S-1", "S-2", "S-3"]
    assert pending(date(2024, 3, 1)) == ["S-1"]


def test_a_year_after_today_has_no_homeless_and_a_list_at_the_calendar_start_is_empty(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2024-01-01", situation="rough")
    story.load(store)
    outcomes = outcome_report(store, 2100, TODAY)["outcomes"]
    assert (outcomes["homeless_in_year"], outcomes["median_days_homeless"]) == (0, None)
    checks = data_quality(store, date(1, 1, 2))["checks"]
    assert all(refs == [] for refs in checks.values())
