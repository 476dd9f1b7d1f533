"""Follow-up contacts by team (with minutes), and concerns reported (bekymringsmeldinger)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.values import CONCERN_RECIPIENTS, TEAMS
from projections import aggregates
from projections.case_timeline import CaseTimeline
from projections.db import Table, Transaction
from projections.read_model import ReadModel, Rows

CONTACTS = Table(
    "rm_follow_up_contacts",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("on_date", "TEXT NOT NULL"),
        ("team", "TEXT NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("minutes", "INTEGER NOT NULL"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("on_date",),),
)
CONCERNS = Table(
    "rm_concerns_reported",
    (
        ("case_ref", "TEXT NOT NULL"),
        ("seq", "INTEGER NOT NULL"),
        ("on_date", "TEXT NOT NULL"),
        ("recipient", "TEXT NOT NULL"),
    ),
    primary_key=("case_ref", "seq"),
    indexes=(("on_date",),),
)


def rows(timeline: CaseTimeline) -> Rows:
    ref = timeline.case_ref
    return {
        CONTACTS.name: [
            (ref, seq, on, team, kind, minutes)
            for seq, (on, team, kind, minutes) in enumerate(timeline.follow_ups)
        ],
        CONCERNS.name: [(ref, seq, on, to) for seq, (on, to) in enumerate(timeline.concerns)],
    }


READ_MODEL = ReadModel[CaseTimeline](
    name="follow_ups", stream="case", tables=(CONTACTS, CONCERNS), rows=rows
)


def follow_up_section(tx: Transaction, first: str, cutoff: str) -> dict[str, Any]:
    by_team = {team: {"contacts": 0, "minutes": 0, "households": 0} for team in TEAMS}
    minutes = aggregates.between(tx, "follow_up_minutes", first, cutoff)
    households = aggregates.between(tx, "follow_up_households", first, cutoff)
    for team, contacts in aggregates.between(tx, "follow_up_contacts", first, cutoff).items():
        if contacts:
            by_team[team] = {
                "contacts": contacts,
                "minutes": minutes.get(team, 0),
                "households": households.get(team, 0),
            }
    return {"by_team": by_team}


def concerns_section(tx: Transaction, first: str, cutoff: str) -> dict[str, Any]:
    by_recipient = dict.fromkeys(CONCERN_RECIPIENTS, 0)
    for recipient, n in aggregates.between(tx, "concerns", first, cutoff).items():
        if n:
            by_recipient[recipient] = n
    return {"by_recipient": by_recipient}


@dataclass(frozen=True)
class Contact:
    """A follow-up contact: when, by which team, what kind, how many minutes."""

    on: str
    team: str
    kind: str
    minutes: int


def latest_contacts(
    tx: Transaction, day: str, refs: Sequence[str] | None = None
) -> dict[str, Contact]:
    """Each case's latest follow-up contact on or before the day (of the cases `refs` only,
    when given: a page of a list reads only its own cases' contacts)."""
    if refs is None:
        chunks: list[Sequence[str] | None] = [None]
    else:
        ordered = sorted(set(refs))
        chunks = [ordered[start : start + 400] for start in range(0, len(ordered), 400)]
    latest: dict[str, Contact] = {}
    for chunk in chunks:
        if chunk is not None and not chunk:
            continue
        among = "" if chunk is None else f" AND case_ref IN ({', '.join('?' for _ in chunk)})"
        for ref, on, team, kind, minutes in tx.query(
            "SELECT case_ref, on_date, team, kind, minutes FROM rm_follow_up_contacts"
            f" WHERE on_date <= ?{among} ORDER BY on_date, seq",
            [day, *(chunk or ())],
        ):
            latest[str(ref)] = Contact(str(on), str(team), str(kind), int(minutes))
    return latest


def last_contact_days(tx: Transaction, day: str, refs: Sequence[str]) -> dict[str, str]:
    """The day of each case's latest follow-up on or before the day (cases without one are
    left out)."""
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


def teams_by_day(tx: Transaction, day: str, refs: Sequence[str]) -> list[tuple[str, str]]:
    """(case_ref, team) of each team that followed one of the cases (at most 400) up to the
    day."""
    marks = ", ".join("?" for _ in refs)
    return [
        (str(ref), str(team))
        for ref, team in tx.query(
            "SELECT DISTINCT case_ref, team FROM rm_follow_up_contacts"
            f" WHERE on_date <= ? AND case_ref IN ({marks})",
            [day, *refs],
        )
    ]
