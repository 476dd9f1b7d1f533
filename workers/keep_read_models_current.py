"""Job: pull the events recorded since the last run into every read model."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.application import Boligspor
from projections.db import ReadStore
from projections.runner import catch_up, lag


@dataclass(frozen=True)
class CaughtUp:
    applied: int
    behind: int  # positions the slowest read model is still behind afterwards


def run(app: Boligspor, store: ReadStore, now: datetime) -> CaughtUp:
    """Apply every new event; a second run with nothing new applies nothing."""
    applied = catch_up(app, store)
    return CaughtUp(applied=applied, behind=max(lag(app, store).values(), default=0))
