"""The waiting list as the list an allocation meeting works from, as of a day.

Its members are the waiting list report's (`waiting_list.members_on`, the membership the
status report counts), in order of priority (urgent, high, normal), then days waited (the
longest first), then case ref. Each row adds what the meeting needs to know of the household:
group, adults and children, the rooms it needs by the allocation rule, its situation or the
temporary stay it is in, and whether an appeal of it is pending. No names here: the pages add
them (domain/contact_names.py) for the roles that may read the cases, and log the read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.allocation import AllocationRule
from domain.values import PRIORITIES
from projections.applications import pending_appeals
from projections.case_status import profiles_on
from projections.db import Transaction
from projections.history import days_between
from projections.temporary_stays import stays_held_on
from projections.waiting_list import members_on

PRIORITY_RANK = {priority: rank for rank, priority in enumerate(PRIORITIES)}


@dataclass(frozen=True)
class WaitingHousehold:
    """One household on the waiting list on a day."""

    case_ref: str
    priority: str
    joined_on: str
    days_waited: int
    group: str
    adults: int
    children: int
    rooms_needed: int
    situation: str
    stay_kind: str | None
    stay_started: str | None
    appeal_pending: bool

    @property
    def size(self) -> int:
        return self.adults + self.children


def order_key(priority: str, days_waited: int, case_ref: str) -> tuple[int, int, str]:
    """The waiting list's order: priority, then days waited (longest first), then case ref."""
    return (PRIORITY_RANK.get(priority, len(PRIORITY_RANK)), -days_waited, case_ref)


def working_list(
    tx: Transaction,
    day: str,
    rule: AllocationRule,
    *,
    hidden: Iterable[str] = (),
    group: str | None = None,
    priority: str | None = None,
) -> list[WaitingHousehold]:
    """The members on the day in the waiting list's order, without the `hidden` cases, of the
    group and priority asked for (all when None)."""
    return working_list_page(
        tx, day, rule, hidden=hidden, group=group, priority=priority, offset=0, limit=None
    )[1]


def working_list_page(
    tx: Transaction,
    day: str,
    rule: AllocationRule,
    *,
    hidden: Iterable[str] = (),
    group: str | None = None,
    priority: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[int, list[WaitingHousehold]]:
    """How many households the (filtered) list holds, and those from `offset` on (at most
    `limit`). Without a group filter the order is known from the membership alone, so only the
    households shown are looked up further."""
    left_out = set(hidden)
    members = sorted(
        (
            (ref, prio, joined)
            for ref, prio, joined in members_on(tx, day)
            if ref not in left_out and (priority is None or prio == priority)
        ),
        key=lambda m: order_key(m[1], days_between(m[2], day), m[0]),
    )
    end = None if limit is None else offset + limit
    if group is None:
        return len(members), _households(tx, day, rule, members[offset:end])
    every = [h for h in _households(tx, day, rule, members) if h.group == group]
    return len(every), every[offset:end]


def _households(
    tx: Transaction, day: str, rule: AllocationRule, members: list[tuple[str, str, str]]
) -> list[WaitingHousehold]:
    """The members (in order) with their household, situation, stay and pending appeal."""
    profiles = profiles_on(tx, ((ref, day) for ref, _, _ in members))
    stays = {stay.case_ref: stay for stay in stays_held_on(tx, day)}
    refs = sorted(ref for ref, _, _ in members)
    appeals: set[str] = set()
    for start in range(0, len(refs), 400):
        appeals |= pending_appeals(tx, day, refs[start : start + 400])
    rows = []
    for ref, prio, joined in members:
        profile = profiles[(ref, day)]
        stay = stays.get(ref)
        rows.append(
            WaitingHousehold(
                case_ref=ref,
                priority=prio,
                joined_on=joined,
                days_waited=days_between(joined, day),
                group=profile.group,
                adults=profile.adults,
                children=profile.children,
                rooms_needed=rule.rooms_for(profile.adults, profile.children),
                situation=profile.situation,
                stay_kind=None if stay is None else stay.kind,
                stay_started=None if stay is None else stay.started_on,
                appeal_pending=ref in appeals,
            )
        )
    return rows
