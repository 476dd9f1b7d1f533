"""What KOSTRA asks of each application and allocation, worked out once per case when its
history changes (not per report): the group on the day and whether the household was *new*,
that is not already settled under a managed tenure (municipal rental or a referral agreement).

- an application (ApplicationReceived) is from a new household when the case is not settled
  under a managed tenure on its day;
- an allocation (a Settled with a managed tenure) is of a new household when the case was not
  settled under a managed tenure on the day before; it counts in the KOSTRA group of the case's
  group on its day.
"""

from __future__ import annotations

from domain.values import MANAGED_TENURES
from projections.case_timeline import CaseTimeline, Settlement
from projections.db import Table
from projections.history import END_OF_TIME, shift
from projections.read_model import ReadModel, Rows

KOSTRA_GROUPS: dict[str, tuple[str, ...]] = {
    "refugees": ("refugee", "refugee_ukraine"),
    "adapted": ("families_adapted", "adults_adapted"),
    "mental_health_substance": ("mental_health_substance",),
    "other": ("families", "other"),
}
KOSTRA_GROUP_OF: dict[str, str] = {
    group: kostra for kostra, groups in KOSTRA_GROUPS.items() for group in groups
}

APPLICATIONS = Table(
    "rm_kostra_applications",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("received_on", "TEXT NOT NULL"),
        ("new_household", "INTEGER NOT NULL"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("received_on", "new_household"),),
)
ALLOCATIONS = Table(
    "rm_kostra_allocations",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("settled_on", "TEXT NOT NULL"),
        ("kostra_group", "TEXT NOT NULL"),
        ("new_household", "INTEGER NOT NULL"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("settled_on", "kostra_group", "new_household"),),
)


_MANAGED = ", ".join(f"'{tenure}'" for tenure in MANAGED_TENURES)
# The same rule over the settlement rows, for a day a report asks about: a settlement of the
# case `{ref}` under a managed tenure that holds the day `{day}` (SQL expressions).
SETTLED_MANAGED_ON = (
    "SELECT 1 FROM rm_settlements m WHERE m.case_ref = {ref} AND m.tenure IN (" + _MANAGED + ")"
    " AND m.settled_on <= {day} AND m.ended_on > {day}"
)


def settled_managed_on(settlements: list[Settlement], day: str) -> bool:
    """Whether one of the settlements holds the day under a managed tenure."""
    return any(
        s.tenure in MANAGED_TENURES and s.settled_on <= day < (s.ended_on or END_OF_TIME)
        for s in settlements
    )


def rows(timeline: CaseTimeline) -> Rows:
    ref, settlements = timeline.case_ref, timeline.settlements
    received = [on for on, step in timeline.application_steps if step == "received"]
    allocations = []
    for seq, s in enumerate(settlements):
        if s.tenure not in MANAGED_TENURES:
            continue
        group = next(
            (p.state.group for p in timeline.profile_spans if p.from_on <= s.settled_on < p.to_on),
            None,
        )
        if group is None:
            continue
        new = not settled_managed_on(settlements, shift(s.settled_on, -1))
        allocations.append((ref, seq, s.settled_on, KOSTRA_GROUP_OF[group], int(new)))
    return {
        APPLICATIONS.name: [
            (ref, seq, on, int(not settled_managed_on(settlements, on)))
            for seq, on in enumerate(received)
        ],
        ALLOCATIONS.name: allocations,
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="kostra_facts", stream="case", tables=(APPLICATIONS, ALLOCATIONS), rows=rows
)
