"""The tricky definitions of FIGURES.md, one small story each, on both backends."""

from __future__ import annotations

from datetime import date

from projections.annual_report import annual_report
from projections.by_name_list import by_name_list
from projections.db import ReadStore
from projections.history import lower_median
from projections.status_report import status_report
from tests.projections.events import Story


def test_a_backdated_situation_change_counts_from_its_own_date_once_it_arrives(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2023-01-10", situation="unsuitable")
    story.case("S-1", "FollowUpLogged", "2023-03-01", team="nav", kind="phone", minutes=10)
    story.load(store)
    assert status_report(store, date(2023, 2, 15))["homeless"]["total"] == 0

    story.case("S-1", "SituationChanged", "2023-02-01", situation="rough")
    story.load(store)

    homeless = status_report(store, date(2023, 2, 15))["homeless"]
    assert homeless["total"] == 1
    assert homeless["by_situation"]["rough"] == 1
    assert status_report(store, date(2023, 1, 31))["homeless"]["total"] == 0


def test_a_retracted_settlement_counts_in_no_figure(store: ReadStore) -> None:
    story = Story()
    story.dwelling(
        "B-1",
        "DwellingRegistered",
        "2020-01-01",
        category="ordinary_municipal",
        district="reier",
        rooms=2,
    )
    story.opened("S-1", "2023-01-10")
    story.approved("S-1", "2023-01-10", "2023-02-01", priority="high")
    settled = story.case(
        "S-1",
        "Settled",
        "2023-06-01",
        tenure="municipal_rental",
        dwelling="B-1",
        lease_until="2023-08-01",
    )
    story.case("S-1", "EventRetracted", "2023-07-01", target=settled, reason="feil sak")
    story.load(store)

    status = status_report(store, date(2023, 6, 15))
    assert status["waiting_list"]["total"] == 1
    assert status["dwellings"]["occupied"] == 0
    assert status["leases_expiring_90_days"] == 0
    assert status["homeless"]["total"] == 1
    annual = annual_report(store, 2023, today=date(2024, 1, 10))
    assert annual["settlements"]["total"] == 0
    assert annual["waiting_list"]["left_settled"] == 0
    assert annual["waiting_list"]["end"] == 1


def test_a_retracted_stay_end_leaves_the_stay_open_for_every_report_date(store: ReadStore) -> None:
    story = Story()
    story.opened("S-1", "2023-01-10", situation="friends_family")
    story.case("S-1", "TemporaryStayStarted", "2023-02-03", stay="t1", kind="hotel", place="Moss")
    ended = story.case("S-1", "TemporaryStayEnded", "2023-02-10", stay="t1")
    story.case("S-1", "EventRetracted", "2023-03-01", target=ended, reason="sluttdato feil")
    story.load(store)

    stays = status_report(store, date(2023, 2, 20))["temporary_housing"]
    assert (stays["current_stays"], stays["median_nights"]) == (1, 17)
    annual = annual_report(store, 2023, today=date(2024, 1, 10))["temporary_housing"]
    assert annual["nights"] == (date(2024, 1, 1) - date(2023, 2, 3)).days
    assert annual["stays_over_90_nights"] == 1
    assert annual["median_nights_ended"] is None


def test_a_case_that_joins_and_leaves_the_waiting_list_on_one_day_is_not_on_it_that_day(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2023-01-10")
    story.approved("S-1", "2023-01-10", "2023-02-01")
    story.case("S-1", "Withdrawn", "2023-02-01", reason="own_solution")
    story.load(store)

    assert status_report(store, date(2023, 2, 1))["waiting_list"]["total"] == 0
    flows = annual_report(store, 2023, today=date(2024, 1, 10))["waiting_list"]
    assert (flows["joined"], flows["left_withdrawn"], flows["end"]) == (1, 1, 0)


def test_a_case_approved_on_its_settlement_day_and_recorded_after_it_is_on_the_list_from_that_day(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2023-01-10")
    story.case("S-1", "ApplicationReceived", "2023-05-20")
    story.case("S-1", "Settled", "2023-06-01", tenure="private_rental")
    story.case("S-1", "ApplicationDecided", "2023-06-01", decision="approved", priority="urgent")
    story.opened("S-2", "2023-01-10")
    story.approved("S-2", "2023-05-20", "2023-06-01")
    story.case("S-2", "Settled", "2023-06-01", tenure="private_rental")
    story.load(store)

    waiting = status_report(store, date(2023, 6, 1))["waiting_list"]
    assert (waiting["total"], waiting["by_priority"]["urgent"]) == (1, 1)
    flows = annual_report(store, 2023, today=date(2024, 1, 10))["waiting_list"]
    assert (flows["joined"], flows["left_settled"], flows["median_days_to_settlement"]) == (2, 1, 0)


def test_the_median_of_an_even_count_is_the_lower_of_the_two_middle_values(
    store: ReadStore,
) -> None:
    assert lower_median([20, 10]) == 10
    assert lower_median([3, 1, 2]) == 2
    assert lower_median([]) is None
    story = Story()
    for ref, joined_on in (("S-1", "2023-03-01"), ("S-2", "2023-02-19")):
        story.opened(ref, "2023-01-10")
        story.approved(ref, "2023-01-10", joined_on)
    story.load(store)

    assert status_report(store, date(2023, 3, 11))["waiting_list"]["median_days_waiting"] == 10
    assert status_report(store, date(2023, 1, 11))["waiting_list"]["median_days_waiting"] is None


def test_an_open_stay_counts_nights_to_31_december_in_a_past_year_and_to_yesterday_in_this_one(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2025-12-01", children=2)
    story.case("S-1", "TemporaryStayStarted", "2025-12-20", stay="t1", kind="hostel")
    story.opened("S-2", "2026-10-01")
    story.case("S-2", "TemporaryStayStarted", "2026-11-01", stay="t1", kind="hotel")
    story.load(store)
    today = date(2026, 11, 21)

    past = annual_report(store, 2025, today)["temporary_housing"]
    assert (past["nights"], past["households"], past["households_with_children"]) == (12, 1, 1)
    assert past["stays_over_90_nights"] == 0
    current = annual_report(store, 2026, today)["temporary_housing"]
    first_stay_nights = (today - date(2026, 1, 1)).days
    assert current["nights"] == first_stay_nights + 20
    assert (current["households"], current["stays_over_90_nights"], current["stays_started"]) == (
        2,
        1,
        1,
    )


def test_a_settlement_ends_the_stay_and_sets_the_situation_to_other_until_a_change_says_otherwise(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2023-01-10", situation="friends_family")
    story.case("S-1", "TemporaryStayStarted", "2023-02-03", stay="t1", kind="hotel")
    story.case("S-1", "Settled", "2023-03-01", tenure="private_rental", lease_until="2023-05-15")
    story.case("S-1", "MovedOut", "2023-05-01", reason="own_choice")
    story.case("S-1", "SituationChanged", "2023-05-03", situation="rough")
    story.load(store)

    on_settlement_day = status_report(store, date(2023, 3, 1))
    assert on_settlement_day["temporary_housing"]["current_stays"] == 0
    assert on_settlement_day["homeless"]["total"] == 0
    assert on_settlement_day["leases_expiring_90_days"] == 1
    assert status_report(store, date(2023, 5, 2))["homeless"]["total"] == 0
    assert status_report(store, date(2023, 5, 3))["homeless"]["by_situation"]["rough"] == 1
    annual = annual_report(store, 2023, today=date(2024, 1, 10))
    assert annual["temporary_housing"]["median_nights_ended"] == 26
    assert annual["moved_out"]["by_reason"]["own_choice"] == 1


def test_of_two_group_changes_on_one_day_the_later_recorded_counts_even_when_backdated_first(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2023-01-10", group="families")
    story.approved("S-1", "2023-01-10", "2023-02-01")
    story.case("S-1", "GroupChanged", "2023-04-01", group="refugee")
    story.case("S-1", "GroupChanged", "2023-04-01", group="adults_adapted")
    story.load(store)

    by_group = status_report(store, date(2023, 4, 1))["waiting_list"]["by_group"]
    assert (by_group["adults_adapted"], by_group["refugee"]) == (1, 0)
    assert status_report(store, date(2023, 3, 31))["waiting_list"]["by_group"]["families"] == 1


def test_a_closing_ends_a_privately_held_settlement_and_a_closed_case_is_not_homeless(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2023-01-10")
    story.case(
        "S-1", "Settled", "2023-02-01", tenure="start_loan_purchase", lease_until="2023-03-01"
    )
    story.case("S-1", "CaseClosed", "2023-02-10", reason="bosatt")
    story.case("S-1", "CaseReopened", "2023-04-01")
    story.case("S-1", "SituationChanged", "2023-04-01", situation="institution")
    story.load(store)

    assert status_report(store, date(2023, 2, 9))["leases_expiring_90_days"] == 1
    assert status_report(store, date(2023, 2, 10))["leases_expiring_90_days"] == 0
    assert status_report(store, date(2023, 3, 1))["homeless"]["total"] == 0
    assert status_report(store, date(2023, 4, 1))["homeless"]["by_situation"]["institution"] == 1


def test_a_renewed_lease_counts_as_expiring_by_its_latest_date(store: ReadStore) -> None:
    story = Story()
    story.dwelling(
        "B-1", "DwellingRegistered", "2020-01-01", category="referral", district="vang", rooms=1
    )
    story.opened("S-1", "2023-01-10")
    story.case(
        "S-1",
        "Settled",
        "2023-02-01",
        tenure="referral_agreement",
        dwelling="B-1",
        lease_until="2023-06-01",
    )
    story.case("S-1", "LeaseRenewed", "2023-05-01", lease_until="2024-06-01")
    story.load(store)

    assert status_report(store, date(2023, 4, 30))["leases_expiring_90_days"] == 1
    assert status_report(store, date(2023, 5, 1))["leases_expiring_90_days"] == 0
    dwellings = status_report(store, date(2023, 5, 1))["dwellings"]
    assert (
        dwellings["total_municipal"],
        dwellings["occupied"],
        dwellings["by_category"]["referral"],
    ) == (0, 0, 1)


def test_a_by_name_list_follows_a_case_through_inactivity_housing_and_return(
    store: ReadStore,
) -> None:
    story = Story()
    story.opened("S-1", "2023-01-05")
    story.case("S-1", "FollowUpLogged", "2023-05-10", team="nav", kind="phone", minutes=5)
    story.case("S-1", "Settled", "2023-06-15", tenure="private_rental")
    story.case("S-1", "MovedOut", "2023-07-01", reason="eviction")
    story.case("S-1", "SituationChanged", "2023-07-02", situation="rough")
    story.load(store)

    months = {m["month"]: m for m in by_name_list(store, 2023, today=date(2024, 1, 10))["months"]}

    assert len(months) == 12
    assert [months[f"2023-{m:02}"]["active"] for m in range(1, 8)] == [1, 1, 1, 0, 1, 0, 1]
    assert months["2023-01"]["inflow"]["newly_identified"] == 1
    assert months["2023-04"]["outflow"]["inactive"] == 1
    assert months["2023-05"]["inflow"]["returned_from_inactive"] == 1
    assert months["2023-06"]["outflow"]["housed"] == 1
    assert months["2023-07"]["inflow"]["returned_from_housing"] == 1
