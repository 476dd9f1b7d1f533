"""The report figures the aggregates answer, counted straight from the read-model rows.

These are the queries the reports ran before `projections.aggregates` (one scan of the rows
per figure); the aggregate tests compare the two for every day and year of the samples.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from domain.municipality import MOSS
from domain.values import (
    CATEGORIES,
    COMPLAINT_CATEGORIES,
    COMPLAINT_OUTCOMES,
    CONCERN_RECIPIENTS,
    GROUPS,
    HOMELESS_SITUATIONS,
    MOVE_OUT_REASONS,
    PRIORITIES,
    TEAMS,
    TENURES,
)
from projections.case_status import profiles_on
from projections.db import Transaction
from projections.history import days_between, iso, lower_median, lower_median_of_counts, shift


def _count(tx: Transaction, statement: str, params: Sequence[Any]) -> int:
    row = tx.query_one(statement, params)
    return int(row[0]) if row and row[0] is not None else 0


def _waiting_on(tx: Transaction, day: str) -> int:
    return _count(
        tx, "SELECT COUNT(*) FROM rm_waitlist_spans WHERE to_on > ? AND from_on <= ?", (day, day)
    )


def _enrolled_on(tx: Transaction, day: str) -> int:
    return _count(
        tx,
        "SELECT COUNT(*) FROM rm_housing_first_enrolments WHERE ended_on > ? AND enrolled_on <= ?",
        (day, day),
    )


def status(
    tx: Transaction, day: str, districts: Sequence[str] = MOSS.district_codes
) -> dict[str, Any]:
    """The status report as of the day, every figure counted from the rows."""
    by_group = dict.fromkeys(GROUPS, 0)
    by_priority = dict.fromkeys(PRIORITIES, 0)
    for group, priority, n in tx.query(
        "SELECT grp, priority, COUNT(*) FROM rm_waitlist_spans"
        " WHERE to_on > ? AND from_on <= ? GROUP BY grp, priority",
        (day, day),
    ):
        by_group[group] += n
        by_priority[priority] += n
    joined = tx.query(
        "SELECT joined_on, COUNT(*) FROM rm_waitlist_spans"
        " WHERE to_on > ? AND from_on <= ? GROUP BY joined_on",
        (day, day),
    )
    homeless = tx.query(
        "SELECT situation, with_children FROM rm_homeless_spans WHERE to_on > ? AND from_on <= ?",
        (day, day),
    )
    by_situation = dict.fromkeys(HOMELESS_SITUATIONS, 0)
    for situation, _ in homeless:
        by_situation[situation] += 1
    stays = tx.query(
        "SELECT case_ref, started_on FROM rm_stays WHERE ended_on > ? AND started_on <= ?",
        (day, day),
    )
    profiles = profiles_on(tx, ((ref, day) for ref, _ in stays))
    nights = [days_between(started_on, day) for _, started_on in stays]
    by_category = dict.fromkeys(CATEGORIES, 0)
    by_district = {d: {"lifetime_standard": 0, "other": 0} for d in districts}
    for category, district, n in tx.query(
        "SELECT category, district, COUNT(*) FROM rm_dwellings"
        " WHERE retired_on > ? AND registered_on <= ? GROUP BY category, district",
        (day, day),
    ):
        by_category[category] += n
        if category != "referral" and district in by_district:
            column = "lifetime_standard" if category == "lifetime_standard" else "other"
            by_district[district][column] += n
    occupied = _count(
        tx,
        "SELECT COUNT(DISTINCT s.dwelling_ref) FROM rm_settlements s"
        " JOIN rm_dwellings d ON d.dwelling_ref = s.dwelling_ref"
        " WHERE s.ended_on > ? AND s.settled_on <= ?"
        " AND d.category <> 'referral' AND d.retired_on > ? AND d.registered_on <= ?",
        (day, day, day, day),
    )
    municipal = sum(n for category, n in by_category.items() if category != "referral")
    return {
        "as_of": day,
        "waiting_list": {
            "total": sum(by_priority.values()),
            "by_group": by_group,
            "by_priority": by_priority,
            "median_days_waiting": lower_median_of_counts(
                [(days_between(on, day), int(n)) for on, n in joined]
            ),
        },
        "homeless": {
            "total": len(homeless),
            "with_children": sum(1 for _, children in homeless if children),
            "by_situation": by_situation,
        },
        "temporary_housing": {
            "current_stays": len(stays),
            "households_with_children": sum(
                1 for ref, _ in stays if profiles[(ref, day)].children > 0
            ),
            "over_90_nights": sum(1 for n in nights if n > 90),
            "median_nights": lower_median(nights),
            "max_nights": max(nights) if nights else None,
        },
        "dwellings": {
            "total_municipal": municipal,
            "by_category": by_category,
            "by_district": by_district,
            "occupied": occupied,
            "vacant": municipal - occupied,
        },
        "housing_first": {"enrolled": _enrolled_on(tx, day)},
        "leases_expiring_90_days": _count(
            tx,
            "SELECT COUNT(*) FROM rm_lease_spans"
            " WHERE lease_until > ? AND lease_until <= ? AND from_on <= ? AND to_on > ?",
            (day, shift(day, 90), day, day),
        ),
    }


def annual(
    tx: Transaction, year: int, today: date, districts: Sequence[str] = MOSS.district_codes
) -> dict[str, Any]:
    """The annual report's figures for the year, counted from the rows."""
    first = f"{year}-01-01"
    cutoff = min(date(year, 12, 31), today).isoformat()
    period = (first, cutoff)
    steps = dict(
        tx.query(
            "SELECT step, COUNT(*) FROM rm_application_steps"
            " WHERE on_date >= ? AND on_date <= ? GROUP BY step",
            period,
        )
    )
    left = {"settled": 0, "withdrawn": 0, "closed": 0}
    waited: list[int] = []
    for joined_on, left_on, reason in tx.query(
        "SELECT joined_on, left_on, left_reason FROM rm_waitlist_memberships"
        " WHERE left_on >= ? AND left_on <= ?",
        period,
    ):
        left[str(reason)] += 1
        if reason == "settled":
            waited.append(days_between(joined_on, left_on))
    settled = tx.query(
        "SELECT case_ref, settled_on, tenure FROM rm_settlements"
        " WHERE settled_on >= ? AND settled_on <= ?",
        period,
    )
    settled_profiles = profiles_on(tx, ((ref, on) for ref, on, _ in settled))
    by_tenure = dict.fromkeys(TENURES, 0)
    by_group = dict.fromkeys(GROUPS, 0)
    for ref, on, tenure in settled:
        by_tenure[tenure] += 1
        by_group[settled_profiles[(ref, on)].group] += 1
    by_reason = dict.fromkeys(MOVE_OUT_REASONS, 0)
    for (reason,) in tx.query(
        "SELECT moved_out_reason FROM rm_settlements"
        " WHERE ended_by = 'MovedOut' AND ended_on >= ? AND ended_on <= ?",
        period,
    ):
        by_reason[reason] += 1
    by_district = dict.fromkeys([*districts, "unknown"], 0)
    by_category = dict.fromkeys(COMPLAINT_CATEGORIES, 0)
    received = tx.query(
        "SELECT c.category, d.district FROM rm_complaints c"
        " LEFT JOIN rm_dwellings d ON d.dwelling_ref = c.dwelling_ref"
        " WHERE c.received_on >= ? AND c.received_on <= ?",
        period,
    )
    for category, district in received:
        by_category[category] += 1
        by_district[district if district in by_district else "unknown"] += 1
    closed = dict.fromkeys(COMPLAINT_OUTCOMES, 0)
    for (outcome,) in tx.query(
        "SELECT outcome FROM rm_complaints WHERE closed_on >= ? AND closed_on <= ?", period
    ):
        closed[outcome] += 1
    by_team = {team: {"contacts": 0, "minutes": 0, "households": 0} for team in TEAMS}
    for team, contacts, minutes, households in tx.query(
        "SELECT team, COUNT(*), SUM(minutes), COUNT(DISTINCT case_ref) FROM rm_follow_up_contacts"
        " WHERE on_date >= ? AND on_date <= ? GROUP BY team",
        period,
    ):
        by_team[team] = {
            "contacts": int(contacts),
            "minutes": int(minutes),
            "households": int(households),
        }
    by_recipient = dict.fromkeys(CONCERN_RECIPIENTS, 0)
    for recipient, n in tx.query(
        "SELECT recipient, COUNT(*) FROM rm_concerns_reported"
        " WHERE on_date >= ? AND on_date <= ? GROUP BY recipient",
        period,
    ):
        by_recipient[recipient] = int(n)
    return {
        "applications": {
            "received": steps.get("received", 0),
            "approved": steps.get("approved", 0),
            "rejected": steps.get("rejected", 0),
            "appeals_received": steps.get("appeal_received", 0),
            "appeals_overturned": steps.get("appeal_overturned", 0),
        },
        "waiting_list": {
            "start": _waiting_on(tx, f"{year - 1}-12-31"),
            "end": _waiting_on(tx, cutoff),
            "joined": _count(
                tx,
                "SELECT COUNT(*) FROM rm_waitlist_memberships"
                " WHERE joined_on >= ? AND joined_on <= ?",
                period,
            ),
            "left_settled": left["settled"],
            "left_withdrawn": left["withdrawn"],
            "left_closed": left["closed"],
            "median_days_to_settlement": lower_median(waited),
        },
        "settlements": {"total": len(settled), "by_tenure": by_tenure, "by_group": by_group},
        "moved_out": {"total": sum(by_reason.values()), "by_reason": by_reason},
        "temporary_housing": _temporary_housing(tx, year, cutoff, today),
        "complaints": {
            "received": len(received),
            "by_district": by_district,
            "by_category": by_category,
            "closed_by_outcome": closed,
        },
        "follow_up": {"by_team": by_team},
        "concerns": {"by_recipient": by_recipient},
        "housing_first": {
            "new": _count(
                tx,
                "SELECT COUNT(*) FROM rm_housing_first_enrolments"
                " WHERE enrolled_on >= ? AND enrolled_on <= ?",
                period,
            ),
            "ended": _count(
                tx,
                "SELECT COUNT(*) FROM rm_housing_first_enrolments"
                " WHERE ended_on >= ? AND ended_on <= ?",
                period,
            ),
            "enrolled_end": _enrolled_on(tx, cutoff),
        },
    }


def _temporary_housing(tx: Transaction, year: int, cutoff: str, today: date) -> dict[str, Any]:
    first = f"{year}-01-01"
    nights_end = min(iso(date(year, 12, 31) + timedelta(days=1)), iso(today))
    nights = 0
    first_nights: dict[str, str] = {}
    over_90 = 0
    for ref, started_on, ended_on in tx.query(
        "SELECT case_ref, started_on, ended_on FROM rm_stays"
        " WHERE ended_on > ? AND started_on <= ? AND started_on < ?",
        (first, cutoff, nights_end),
    ):
        end = min(ended_on, nights_end)
        first_night = max(started_on, first)
        if first_night >= end:
            continue
        nights += days_between(first_night, end)
        first_nights[ref] = min(first_nights.get(ref, first_night), first_night)
        if days_between(started_on, end) > 90:
            over_90 += 1
    profiles = profiles_on(tx, first_nights.items())
    ended = [
        days_between(started_on, ended_on)
        for started_on, ended_on in tx.query(
            "SELECT started_on, ended_on FROM rm_stays WHERE ended_on >= ? AND ended_on <= ?",
            (first, cutoff),
        )
    ]
    return {
        "stays_started": _count(
            tx,
            "SELECT COUNT(*) FROM rm_stays WHERE started_on >= ? AND started_on <= ?",
            (first, cutoff),
        ),
        "nights": nights,
        "households": len(first_nights),
        "households_with_children": sum(
            1 for key in first_nights.items() if profiles[key].children > 0
        ),
        "stays_over_90_nights": over_90,
        "median_nights_ended": lower_median(ended),
    }
