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
from projections.complaints import open_complaints_on
from projections.db import Transaction
from projections.follow_ups import last_contact_days, teams_by_day
from projections.history import days_between
from projections.housing_first import enrolled_among, enrolments_on
from projections.leases import leases_ending_within
from projections.temporary_stays import stays_held_on
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
    stays = stays_held_on(tx, day)
    profiles = profiles_on(tx, ((stay.case_ref, day) for stay in stays))
    found: list[Found] = []
    for stay in stays:
        ref = stay.case_ref
        held = days_between(stay.started_on, day)
        found.extend(_found(f"stay-{n}", ref, stay.stay_ref) for n in nights if held > n)
        profile = profiles.get((ref, day))
        if profile is not None and profile.children > 0:
            found.append(_found("stay-children", ref, stay.stay_ref))
    return found


def _leases(tx: Transaction, day: str, days: int) -> list[Found]:
    return [
        _found("lease-ending", ref, lease_until)
        for ref, lease_until in leases_ending_within(tx, day, days)
    ]


def _follow_up_gaps(tx: Transaction, day: str, days: int) -> list[Found]:
    enrolled = enrolments_on(tx, day)
    last_contact = last_contact_days(tx, day, sorted(enrolled))
    found: list[Found] = []
    for ref, enrolled_on in enrolled.items():
        last = max(enrolled_on, last_contact.get(ref, enrolled_on))
        if days_between(last, day) >= days:
            found.append(_found("follow-up-gap", ref, last, [HOUSING_FIRST_TEAM]))
    return found


def _complaints(tx: Transaction, day: str, days: int) -> list[Found]:
    return [
        _found(f"complaint-{days}", ref, complaint, [CARETAKER_TEAM])
        for ref, complaint, received_on in open_complaints_on(tx, day)
        if days_between(received_on, day) > days
    ]


def _case_teams(tx: Transaction, day: str, refs: Iterable[str]) -> Mapping[str, set[str]]:
    """The teams that have followed each case up to the day, and Housing First if enrolled."""
    wanted = sorted(set(refs))
    teams: dict[str, set[str]] = {ref: set() for ref in wanted}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start : start + 400]
        for ref, team in teams_by_day(tx, day, chunk):
            teams[ref].add(team)
        for ref in enrolled_among(tx, day, chunk):
            teams[ref].add(HOUSING_FIRST_TEAM)
    return teams
