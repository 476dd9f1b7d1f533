"""Data-quality lists as of a day (FIGURES.md, contract v2): work lists for case workers, each
the sorted case refs for which a check holds on the day, over the events with `on` ≤ the day.

*Latest event* of a case: its latest counting event (any type but EventRetracted, retracted
ones left out) dated on or before the day; the case activity days hold their dates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from projections import pending_applications
from projections.db import ReadStore, Transaction

STAY_CONTACT_DAYS = 30
DECISION_PENDING_DAYS = 30
WAITING_CONTACT_DAYS = 365
FOLLOW_UP_DAYS = 30

CHECKS: tuple[str, ...] = (
    "lease_expired",
    "municipal_rental_without_lease_end",
    "stay_without_contact_30_days",
    "decision_pending_over_30_days",
    "waiting_without_contact_365_days",
    "homeless_without_follow_up_30_days",
)

# No counting event of the case in [{since}, the day].
_NO_EVENT_SINCE = (
    "NOT EXISTS (SELECT 1 FROM rm_case_activity_days a WHERE a.case_ref = {ref}"
    " AND a.on_date >= ? AND a.on_date <= ?)"
)


def data_quality(store: ReadStore, as_of: date) -> dict[str, Any]:
    """Every check's sorted list of case refs as of the day, in contract order."""
    day = as_of.isoformat()
    with store.reading() as tx:
        return {"as_of": day, "checks": data_quality_checks(tx, day)}


def data_quality_checks(tx: Transaction, day: str) -> dict[str, list[str]]:
    checks: dict[str, Callable[[Transaction, str], list[str]]] = {
        "lease_expired": _lease_expired,
        "municipal_rental_without_lease_end": _municipal_rental_without_lease_end,
        "stay_without_contact_30_days": _stay_without_contact,
        "decision_pending_over_30_days": _decision_pending,
        "waiting_without_contact_365_days": _waiting_without_contact,
        "homeless_without_follow_up_30_days": _homeless_without_follow_up,
    }
    return {name: sorted(set(checks[name](tx, day))) for name in CHECKS}


def shift(day: str, days: int) -> str:
    """The day `days` days from `day` (negative: before it), no earlier than 1 January of
    year 1 (a list as of the first days of the calendar looks back to its start)."""
    start = date.fromisoformat(day)
    if start.toordinal() + days < 1:
        return date.min.isoformat()
    return (start + timedelta(days=days)).isoformat()


def _refs(tx: Transaction, statement: str, params: tuple[str, ...]) -> list[str]:
    return [str(ref) for (ref,) in tx.query(statement, params)]


def _lease_expired(tx: Transaction, day: str) -> list[str]:
    """Settled on the day, the latest lease_until before the day."""
    return _refs(
        tx,
        "SELECT case_ref FROM rm_lease_spans WHERE to_on > ? AND from_on <= ? AND lease_until < ?",
        (day, day, day),
    )


def _municipal_rental_without_lease_end(tx: Transaction, day: str) -> list[str]:
    """Settled on the day under municipal rental, with no lease_until."""
    return _refs(
        tx,
        "SELECT s.case_ref FROM rm_settlements s WHERE s.tenure = 'municipal_rental'"
        " AND s.ended_on > ? AND s.settled_on <= ? AND NOT EXISTS (SELECT 1 FROM rm_lease_spans l"
        " WHERE l.case_ref = s.case_ref AND l.to_on > ? AND l.from_on <= ?)",
        (day, day, day, day),
    )


def _stay_without_contact(tx: Transaction, day: str) -> list[str]:
    """In a stay on the day, the latest event 30 or more days before it."""
    return _refs(
        tx,
        "SELECT s.case_ref FROM rm_stays s WHERE s.ended_on > ? AND s.started_on <= ? AND "
        + _NO_EVENT_SINCE.format(ref="s.case_ref"),
        (day, day, shift(day, 1 - STAY_CONTACT_DAYS), day),
    )


def _decision_pending(tx: Transaction, day: str) -> list[str]:
    """An application pending on the day, received more than 30 days before it."""
    return pending_applications.pending_received_before(tx, day, shift(day, -DECISION_PENDING_DAYS))


def _waiting_without_contact(tx: Transaction, day: str) -> list[str]:
    """On the waiting list on the day, the latest event 365 or more days before it."""
    return _refs(
        tx,
        "SELECT w.case_ref FROM rm_waitlist_spans w WHERE w.to_on > ? AND w.from_on <= ? AND "
        + _NO_EVENT_SINCE.format(ref="w.case_ref"),
        (day, day, shift(day, 1 - WAITING_CONTACT_DAYS), day),
    )


def _homeless_without_follow_up(tx: Transaction, day: str) -> list[str]:
    """Homeless on the day, no FollowUpLogged in [day − 29, day]."""
    return _refs(
        tx,
        "SELECT h.case_ref FROM rm_homeless_intervals h WHERE h.to_on > ? AND h.from_on <= ?"
        " AND NOT EXISTS (SELECT 1 FROM rm_follow_up_contacts f WHERE f.case_ref = h.case_ref"
        " AND f.on_date >= ? AND f.on_date <= ?)",
        (day, day, shift(day, 1 - FOLLOW_UP_DAYS), day),
    )
