"""Alerts raised by the workers' watch list, shown beside the flags the pages compute."""

from __future__ import annotations

from api.pages.texts import text
from api.services import ReadModels


def alerts_by_case(reads: ReadModels, team: str | None) -> dict[str, list[str]]:
    """Open alerts per case ref, in Norwegian; only the team's when a team is given."""
    found: dict[str, list[str]] = {}
    for alert in reads.open_alerts(team):
        found.setdefault(alert.case_ref, []).append(alert_text(alert.kind))
    return found


def alert_text(kind: str) -> str:
    """«Opphold over 90 netter» for stay-90, and so on for every kind of alert."""
    family, _, number = kind.rpartition("-")
    if number.isdigit():
        return text(f"alert.{family}").format(n=number)
    return text(f"alert.{kind}")
