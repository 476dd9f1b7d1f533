"""Job: on 1 January, freeze the annual report of the year just ended as it is reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.application import Boligspor
from projections.db import ReadStore
from projections.reported_figures import freeze


@dataclass(frozen=True)
class Frozen:
    year: int
    made: bool  # False when the year was frozen already
    position: int | None


def run(app: Boligspor, store: ReadStore, now: datetime) -> Frozen:
    """Freeze the year before today's (Europe/Oslo) once; later runs leave it as it was."""
    year = app.today(now).year - 1
    snapshot = freeze(app, store, year, now)
    return Frozen(year, snapshot is not None, None if snapshot is None else snapshot.position)
