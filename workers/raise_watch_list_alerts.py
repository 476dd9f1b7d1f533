"""Job: draw up the watch list as of today (Europe/Oslo) and reconcile the alerts with it."""

from __future__ import annotations

from datetime import datetime

from domain.application import Boligspor
from projections import alerts
from projections.db import ReadStore
from projections.kept_tables import ensure_tables
from projections.runner import catch_up
from projections.watch_list import conditions_on, thresholds_of


def run(app: Boligspor, store: ReadStore, now: datetime) -> alerts.Reconciled:
    """Raise each new condition once, clear the ended ones; the same `now` twice changes nothing
    the second time."""
    ensure_tables(store, alerts.TABLES)
    catch_up(app, store)
    day = app.today(now).isoformat()
    thresholds = thresholds_of(app.municipality, app.settings)
    with store.transaction() as tx:
        return alerts.reconcile(tx, conditions_on(tx, day, thresholds), day, now)
