"""Follow-up contacts by team (with minutes), and concerns reported (bekymringsmeldinger)."""

from __future__ import annotations

from typing import Any

from domain.values import CONCERN_RECIPIENTS, TEAMS
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
    for team, contacts, minutes, households in tx.query(
        "SELECT team, COUNT(*), SUM(minutes), COUNT(DISTINCT case_ref) FROM rm_follow_up_contacts"
        " WHERE on_date >= ? AND on_date <= ? GROUP BY team",
        (first, cutoff),
    ):
        by_team[team] = {
            "contacts": int(contacts),
            "minutes": int(minutes),
            "households": int(households),
        }
    return {"by_team": by_team}


def concerns_section(tx: Transaction, first: str, cutoff: str) -> dict[str, Any]:
    by_recipient = dict.fromkeys(CONCERN_RECIPIENTS, 0)
    for recipient, n in tx.query(
        "SELECT recipient, COUNT(*) FROM rm_concerns_reported"
        " WHERE on_date >= ? AND on_date <= ? GROUP BY recipient",
        (first, cutoff),
    ):
        by_recipient[recipient] = int(n)
    return {"by_recipient": by_recipient}
