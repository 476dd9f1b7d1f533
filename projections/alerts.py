"""Alerts raised from the watch list: one row per condition id, raised once, cleared when the
condition ends. Alerts hold case references and kinds only, no personal data.

`open_alerts` is the query the API (`GET /api/alerts`) and the field app's start page use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from projections.db import ReadStore, Table, Transaction
from projections.kept_tables import ensure_tables
from projections.watch_list import Condition

ALERTS = Table(
    "alerts",
    (
        ("alert_id", "TEXT NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("case_ref", "TEXT NOT NULL"),
        ("raised_on", "TEXT NOT NULL"),
        ("raised_at", "TEXT NOT NULL"),
        ("cleared_at", "TEXT"),
    ),
    primary_key=("alert_id",),
    indexes=(("cleared_at",), ("case_ref",)),
)
ALERT_TEAMS = Table(
    "alert_teams",
    (("alert_id", "TEXT NOT NULL"), ("team", "TEXT NOT NULL")),
    primary_key=("alert_id", "team"),
    indexes=(("team",),),
)
TABLES = (ALERTS, ALERT_TEAMS)


@dataclass(frozen=True)
class Alert:
    """An alert: what kind, which case, which teams see it, when raised and cleared."""

    alert_id: str
    kind: str
    case_ref: str
    teams: tuple[str, ...]
    raised_on: str
    raised_at: str
    cleared_at: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.alert_id,
            "kind": self.kind,
            "case": self.case_ref,
            "teams": list(self.teams),
            "raised_on": self.raised_on,
            "raised_at": self.raised_at,
            "cleared_at": self.cleared_at,
        }


@dataclass(frozen=True)
class Reconciled:
    """What one reconciliation changed."""

    raised: int
    reopened: int
    cleared: int
    open: int


def open_alerts(store: ReadStore, team: str | None = None) -> list[Alert]:
    """Alerts not cleared, oldest first; only those the team sees when a team is given."""
    ensure_tables(store, TABLES)
    with store.reading() as tx:
        return _alerts(tx, open_only=True, team=team)


def all_alerts(store: ReadStore, team: str | None = None) -> list[Alert]:
    """Every alert ever raised, cleared ones included, oldest first."""
    ensure_tables(store, TABLES)
    with store.reading() as tx:
        return _alerts(tx, open_only=False, team=team)


def reconcile(
    tx: Transaction, conditions: Sequence[Condition], day: str, now: datetime
) -> Reconciled:
    """Raise an alert for each new condition, reopen a cleared one whose condition holds again,
    clear the open ones whose condition no longer holds, and keep each alert's teams current."""
    stamp = now.isoformat()
    known = {
        str(alert_id): cleared_at
        for alert_id, cleared_at in tx.query("SELECT alert_id, cleared_at FROM alerts")
    }
    holding = {c.alert_id: c for c in conditions}
    new = [c for c in conditions if c.alert_id not in known]
    reopen = [c.alert_id for c in conditions if known.get(c.alert_id)]
    clear = [a for a, cleared_at in known.items() if cleared_at is None and a not in holding]
    tx.executemany(
        ALERTS.insert_statement(),
        [(c.alert_id, c.kind, c.case_ref, day, stamp, None) for c in new],
    )
    tx.executemany("UPDATE alerts SET cleared_at = NULL WHERE alert_id = ?", [(a,) for a in reopen])
    tx.executemany(
        "UPDATE alerts SET cleared_at = ? WHERE alert_id = ?", [(stamp, a) for a in clear]
    )
    _update_teams(tx, conditions)
    return Reconciled(len(new), len(reopen), len(clear), len(conditions))


def _update_teams(tx: Transaction, conditions: Sequence[Condition]) -> None:
    stored: dict[str, set[str]] = {}
    for alert_id, team in tx.query("SELECT alert_id, team FROM alert_teams"):
        stored.setdefault(str(alert_id), set()).add(str(team))
    for condition in conditions:
        had = stored.get(condition.alert_id, set())
        tx.executemany(
            "DELETE FROM alert_teams WHERE alert_id = ? AND team = ?",
            [(condition.alert_id, team) for team in sorted(had - condition.teams)],
        )
        tx.executemany(
            ALERT_TEAMS.insert_statement(),
            [(condition.alert_id, team) for team in sorted(condition.teams - had)],
        )


def _alerts(tx: Transaction, *, open_only: bool, team: str | None) -> list[Alert]:
    where, params = [], []
    if open_only:
        where.append("a.cleared_at IS NULL")
    if team is not None:
        where.append("a.alert_id IN (SELECT alert_id FROM alert_teams WHERE team = ?)")
        params.append(team)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = tx.query(
        "SELECT a.alert_id, a.kind, a.case_ref, a.raised_on, a.raised_at, a.cleared_at"
        f" FROM alerts a{clause} ORDER BY a.raised_at, a.alert_id",
        params,
    )
    teams: dict[str, list[str]] = {}
    for alert_id, name in tx.query(
        f"SELECT t.alert_id, t.team FROM alert_teams t JOIN alerts a ON a.alert_id = t.alert_id"
        f"{clause} ORDER BY t.team",
        params,
    ):
        teams.setdefault(str(alert_id), []).append(str(name))
    return [
        Alert(
            str(alert_id),
            str(kind),
            str(case_ref),
            tuple(teams.get(str(alert_id), [])),
            str(raised_on),
            str(raised_at),
            None if cleared_at is None else str(cleared_at),
        )
        for alert_id, kind, case_ref, raised_on, raised_at, cleared_at in rows
    ]
