"""Follow-up contacts by team (with minutes), and concerns reported (bekymringsmeldinger)."""

from __future__ import annotations

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


def latest_contacts(tx: Transaction, day: str) -> dict[str, Contact]:
    """Each case's latest follow-up contact on or before the day."""
    latest: dict[str, Contact] = {}
    for ref, on, team, kind, minutes in tx.query(
        "SELECT case_ref, on_date, team, kind, minutes FROM rm_follow_up_contacts"
        " WHERE on_date <= ? ORDER BY on_date, seq",
        (day,),
    ):
        latest[str(ref)] = Contact(str(on), str(team), str(kind), int(minutes))
    return latest
