"""The watch list's thresholds come from the municipality's file: Moss's are today's values,
another municipality may choose its own, and the environment still overrides one."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from domain.municipality import MOSS, MunicipalityConfigError, parse_municipality
from projections.watch_list import thresholds_of
from settings import Settings
from tests.municipalities import TESTVIK


def testvik(**watch_list: Any) -> dict[str, Any]:
    raw = tomllib.loads(TESTVIK.read_text())
    return {**raw, "watch_list": watch_list} if watch_list else raw


def test_moss_raises_alerts_after_14_and_90_nights_90_lease_days_14_days_and_30_days() -> None:
    thresholds = MOSS.watch_list
    assert thresholds.stay_nights == (14, 90)
    assert (thresholds.lease_days, thresholds.follow_up_gap_days) == (90, 14)
    assert thresholds.complaint_days == 30


def test_a_municipality_that_chooses_no_thresholds_takes_mosses() -> None:
    assert parse_municipality(testvik()).watch_list == MOSS.watch_list


def test_a_municipality_may_choose_some_thresholds_and_take_moss_for_the_rest() -> None:
    chosen = parse_municipality(testvik(stay_nights=[30], complaint_days=60)).watch_list
    assert chosen.stay_nights == (30,)
    assert chosen.complaint_days == 60
    assert chosen.lease_days == MOSS.watch_list.lease_days


@pytest.mark.parametrize(
    ("watch_list", "problem"),
    [
        ({"lease_days": 0}, "watch_list.lease_days: must be a whole number of days"),
        ({"stay_nights": []}, "watch_list.stay_nights: must be a non-empty array"),
        ({"stay_nights": [14, "90"]}, "watch_list.stay_nights[1]: must be a whole number"),
        ({"complaint_day": 30}, "watch_list.complaint_day: is not a known key"),
    ],
)
def test_a_threshold_that_is_not_a_number_of_days_is_refused_naming_its_key(
    watch_list: dict[str, Any], problem: str
) -> None:
    with pytest.raises(MunicipalityConfigError, match=problem.replace("[", r"\[")):
        parse_municipality(testvik(**watch_list))


def test_the_environment_overrides_only_the_thresholds_it_sets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOLIGSPOR_ALERT_STAY_NIGHTS", "[7]")
    monkeypatch.setenv("BOLIGSPOR_ALERT_LEASE_DAYS", "60")
    thresholds = thresholds_of(parse_municipality(testvik(complaint_days=45)), Settings())
    assert thresholds.stay_nights == (7,)
    assert thresholds.lease_days == 60
    assert thresholds.complaint_days == 45
    assert thresholds.follow_up_gap_days == MOSS.watch_list.follow_up_gap_days
