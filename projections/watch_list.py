"""The watch list: the conditions on a day that the teams must act on, read from the read models.

Each condition has a stable id naming its kind, its case and what it is about, so that one
condition raises one alert however often the list is drawn up:

- `stay-N:S-1:t1`: stay t1 holds the night of D and D − start > N (each N of the thresholds);
- `stay-children:S-1:t1`: stay t1 holds the night of D and the household has children on D;
- `lease-ending:S-1:2024-03-31`: a settled case's latest `lease_until` on D is in (D, D + days];
- `follow-up-gap:S-1:2023-08-02`: a Housing First client on D whose last follow-up (or its
  enrolment, if later or none) was on that day, ≥ days before D;
- `complaint-N:S-1:K-1`: complaint K-1 was received on or before D, is not closed on D, and
  D − received > N.

A lease renewed, or a follow-up logged, gives a new id: the old alert clears, and a new one is
raised when the new lease or the new gap reaches its threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from domain.municipality import Municipality, WatchListThresholds
from projections.case_status import profiles_on
from projections.cases_on_day import HOUSING_FIRST_TEAM
from projections.db import Transaction
from projections.history import days_between, shift
from settings import Settings

CARETAKER_TEAM = "caretaker"

SETTINGS_OVERRIDES = {
    "stay_nights": "alert_stay_nights",
    "lease_days": "alert_lease_days",
    "follow_up_gap_days": "alert_follow_up_gap_days",
    "complaint_days": "alert_complaint_days",
}


def thresholds_of(municipality: Municipality, settings: Settings) -> WatchListThresholds:
    """The municipality's thresholds (docs/municipality.md), each one the environment sets
    (BOLIGSPOR_ALERT_LEASE_DAYS, …) put in its place."""
    overrides: dict[str, Any] = {
        threshold: getattr(settings, setting)
        for threshold, setting in SETTINGS_OVERRIDES.items()
        if setting in settings.model_fields_set
    }
    if "stay_nights" in overrides:
        overrides["stay_nights"] = tuple(overrides["stay_nights"])
    return replace(municipality.watch_list, **overrides)


@dataclass(frozen=True)
class Condition:
    """One condition holding on a day, with the teams that should see it."""

    alert_id: str
    kind: str
    case_ref: str
    teams: frozenset[str]


def conditions_on(tx: Transaction, day: str, thresholds: WatchListThresholds) -> list[Condition]:
    """Every condition that holds on the day, in id order."""
    found = [
        *_stays(tx, day, thresholds.stay_nights),
        *_leases(tx, day, thresholds.lease_days),
        *_follow_up_gaps(tx, day, thresholds.follow_up_gap_days),
        *_complaints(tx, day, thresholds.complaint_days),
    ]
    teams = _case_teams(tx, day, {case_ref for _, _, case_ref, _ in found})
    return sorted(
        (
            Condition(alert_id, kind, case_ref, frozenset(teams.get(case_ref, set()) | extra))
            for alert_id, kind, case_ref, extra in found
        ),
        key=lambda c: c.alert_id,
    )


Found = tuple[str, str, str, frozenset[str]]  # alert id, kind, case ref, teams the kind adds


def _found(kind: str, case_ref: str, subject: str, teams: Iterable[str] = ()) -> Found:
    return f"{kind}:{case_ref}:{subject}", kind, case_ref, frozenset(teams)


def _stays(tx: Transaction, day: str, nights: Sequence[int]) -> list[Found]:
    stays = [
        (str(ref), str(stay), str(started_on))
        for ref, stay, started_on in tx.query(
            "SELECT case_ref, stay_ref, started_on FROM rm_stays"
            " WHERE started_on <= ? AND ended_on > ?",
            (day, day),
        )
    ]
    profiles = profiles_on(tx, ((ref, day) for ref, _, _ in stays))
    found: list[Found] = []
    for ref, stay, started_on in stays:
        held = days_between(started_on, day)
        found.extend(_found(f"stay-{n}", ref, stay) for n in nights if held > n)
        profile = profiles.get((ref, day))
        if profile is not None and profile.children > 0:
            found.append(_found("stay-children", ref, stay))
    return found


def _leases(tx: Transaction, day: str, days: int) -> list[Found]:
    return [
        _found("lease-ending", str(ref), str(lease_until))
        for ref, lease_until in tx.query(
            "SELECT case_ref, lease_until FROM rm_lease_spans"
            " WHERE from_on <= ? AND to_on > ? AND lease_until > ? AND lease_until <= ?",
            (day, day, day, shift(day, days)),
        )
    ]


def _follow_up_gaps(tx: Transaction, day: str, days: int) -> list[Found]:
    enrolled = {
        str(ref): str(enrolled_on)
        for ref, enrolled_on in tx.query(
            "SELECT case_ref, enrolled_on FROM rm_housing_first_enrolments"
            " WHERE enrolled_on <= ? AND ended_on > ?",
            (day, day),
        )
    }
    last_contact = _last_contacts(tx, day, sorted(enrolled))
    found: list[Found] = []
    for ref, enrolled_on in enrolled.items():
        last = max(enrolled_on, last_contact.get(ref, enrolled_on))
        if days_between(last, day) >= days:
            found.append(_found("follow-up-gap", ref, last, [HOUSING_FIRST_TEAM]))
    return found


def _complaints(tx: Transaction, day: str, days: int) -> list[Found]:
    return [
        _found(f"complaint-{days}", str(ref), str(complaint), [CARETAKER_TEAM])
        for ref, complaint, received_on in tx.query(
            "SELECT case_ref, complaint_ref, received_on FROM rm_complaints"
            " WHERE received_on <= ? AND (closed_on IS NULL OR closed_on > ?)",
            (day, day),
        )
        if days_between(str(received_on), day) > days
    ]


def _last_contacts(tx: Transaction, day: str, refs: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(refs), 400):
        chunk = refs[start : start + 400]
        marks = ", ".join("?" for _ in chunk)
        for ref, last in tx.query(
            "SELECT case_ref, MAX(on_date) FROM rm_follow_up_contacts"
            f" WHERE on_date <= ? AND case_ref IN ({marks}) GROUP BY case_ref",
            [day, *chunk],
        ):
            found[str(ref)] = str(last)
    return found


def _case_teams(tx: Transaction, day: str, refs: Iterable[str]) -> Mapping[str, set[str]]:
    """The teams that have followed each case up to the day, and Housing First if enrolled."""
    wanted = sorted(set(refs))
    teams: dict[str, set[str]] = {ref: set() for ref in wanted}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        marks = ", ".join("?" for _ in chunk)
        for ref, team in tx.query(
            "SELECT DISTINCT case_ref, team FROM rm_follow_up_contacts"
            f" WHERE on_date <= ? AND case_ref IN ({marks})",
            [day, *chunk],
        ):
            teams[str(ref)].add(str(team))
        for (ref,) in tx.query(
            "SELECT DISTINCT case_ref FROM rm_housing_first_enrolments"
            f" WHERE enrolled_on <= ? AND ended_on > ? AND case_ref IN ({marks})",
            [day, day, *chunk],
        ):
            teams[str(ref)].add(HOUSING_FIRST_TEAM)
    return teams
