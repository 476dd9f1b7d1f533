"""The interchange format's checks that no sample file shows."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidEvent
from domain.national_id import national_id_problem
from domain.records import parse_event

TODAY = date(2026, 11, 21)
VALID_FNR = "15076500565"


def test_a_valid_fodselsnummer_passes_and_a_changed_digit_names_the_control_that_fails() -> None:
    assert national_id_problem(VALID_FNR) is None
    assert national_id_problem("15076500566") == "second control digit (mod 11) is wrong"
    assert national_id_problem("15076500575") == "first control digit (mod 11) is wrong"
    assert national_id_problem("1507650056") == "must be 11 digits"


def test_a_d_number_is_checked_with_day_plus_40_and_a_false_date_is_named() -> None:
    assert national_id_problem("55076510007") is None  # day 15 + 40
    assert "not a real date" in (national_id_problem("31026510069") or "")  # 31 February


@pytest.mark.parametrize("key", ["id", "case"])
def test_an_id_or_ref_that_is_a_national_id_is_refused(key: str) -> None:
    event = {"id": "e1", "type": "ApplicationReceived", "case": "S-1", "on": "2023-01-01"}
    event[key] = f"S-{VALID_FNR}" if key == "case" else f"x{VALID_FNR}"
    with pytest.raises(InvalidEvent, match="looks like a national identity number"):
        parse_event(event, today=TODAY)


def test_a_boolean_is_not_an_integer_and_a_case_key_is_refused_on_a_dwelling_event() -> None:
    follow_up = {
        "id": "f",
        "type": "FollowUpLogged",
        "case": "S-1",
        "on": "2023-01-01",
        "team": "nav",
        "kind": "phone",
        "minutes": True,
    }
    with pytest.raises(InvalidEvent, match="minutes must be an integer"):
        parse_event(follow_up, today=TODAY)
    dwelling = {
        "id": "d",
        "type": "DwellingRegistered",
        "dwelling": "B-1",
        "case": "S-1",
        "on": "2023-01-01",
        "category": "referral",
        "district": "vang",
        "rooms": 1,
    }
    with pytest.raises(InvalidEvent, match="unknown key case"):
        parse_event(dwelling, today=TODAY)


def test_a_lease_must_end_after_the_settlement() -> None:
    settled = {
        "id": "s",
        "type": "Settled",
        "case": "S-1",
        "on": "2023-01-01",
        "tenure": "private_rental",
        "lease_until": "2023-01-01",
    }
    with pytest.raises(InvalidEvent, match="lease_until 2023-01-01 must be after on"):
        parse_event(settled, today=TODAY)
