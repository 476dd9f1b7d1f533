"""Job: store the by-name figures of every month that has ended and is not stored yet.

A month is counted once, the day after it ends, and kept as counted (as Built for Zero reports
it each month); `report --by-name-list` computes the figures afresh with late entries included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.application import Boligspor
from projections.by_name_list import by_name_list
from projections.db import ReadStore
from projections.kept_tables import read_models_position
from projections.monthly_figures import store_new_months
from projections.runner import catch_up


@dataclass(frozen=True)
class Counted:
    months: tuple[str, ...]  # the months stored by this run


def run(app: Boligspor, store: ReadStore, now: datetime) -> Counted:
    """Count the months of the current year (of yesterday's year on 1 January) that ended
    before today and are not stored; a second run with the same `now` stores nothing."""
    catch_up(app, store)
    yesterday = app.today(now) - timedelta(days=1)
    position = read_models_position(store)
    figures = by_name_list(store, yesterday.year, yesterday)
    return Counted(tuple(store_new_months(store, figures["months"], now.isoformat(), position)))
