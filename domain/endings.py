"""What ends what (EVENTS.md, FIGURES.md): the one table the case rules and the read side share.

A settlement ends an open stay and the waiting-list membership; a withdrawal ends the
membership and a pending application or appeal; a closing ends a stay, the membership, a
pending application or appeal and a settlement the municipality does not manage; a move-out
ends the settlement. `domain.case_rules.CaseState` and `projections.case_timeline` both read
this table, so the rules and the figures cannot disagree about it.
"""

from __future__ import annotations

from enum import Enum


class Ends(Enum):
    """Something a case is in that an event can end."""

    STAY = "stay"
    WAITING_LIST = "waiting_list"
    APPLICATION = "application"
    APPEAL = "appeal"  # a pending appeal, and the right to appeal a rejection
    SETTLEMENT = "settlement"
    UNMANAGED_SETTLEMENT = "unmanaged_settlement"  # only a tenure not in MANAGED_TENURES


WHAT_ENDS: dict[str, frozenset[Ends]] = {
    "Settled": frozenset({Ends.STAY, Ends.WAITING_LIST}),
    "MovedOut": frozenset({Ends.SETTLEMENT}),
    "Withdrawn": frozenset({Ends.WAITING_LIST, Ends.APPLICATION, Ends.APPEAL}),
    "CaseClosed": frozenset(
        {
            Ends.STAY,
            Ends.WAITING_LIST,
            Ends.APPLICATION,
            Ends.APPEAL,
            Ends.UNMANAGED_SETTLEMENT,
        }
    ),
}


def ended_by(event_type: str) -> frozenset[Ends]:
    """What an event of this type ends (nothing for most)."""
    return WHAT_ENDS.get(event_type, frozenset())
