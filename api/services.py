"""What one API process holds: the application, the read models, users and the access log."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from threading import Lock
from typing import Any

from api.access_log import AccessLog
from api.errors import UNAVAILABLE
from api.users import UserStore
from domain import locks
from domain.application import Boligspor
from domain.municipality import MOSS
from projections.alerts import Alert, open_alerts
from projections.annual_report import annual_report
from projections.db import ReadStore, Transaction
from projections.outcome_report import outcome_report
from projections.runner import catch_up, lag
from projections.status_report import status_report
from settings import Settings


class ReadModels:
    """The read store, opened on first use and opened anew after the database was lost."""

    def __init__(self, database_url: str, districts: Sequence[str] = MOSS.district_codes) -> None:
        self._url = database_url
        self._districts = tuple(districts)
        self._store: ReadStore | None = None
        self._lock = Lock()
        # One catch-up at a time: two threads must never apply the same changes.
        self._catching_up = Lock()
        self._seen = -1

    @contextlib.contextmanager
    def _use(self) -> Iterator[ReadStore]:
        with self._lock:
            if self._store is None:
                self._store = ReadStore.open(self._url)
            store = self._store
        try:
            yield store
        except UNAVAILABLE:
            self._discard(store)
            raise

    def _discard(self, store: ReadStore) -> None:
        with self._lock:
            if self._store is store:
                self._store = None
        with contextlib.suppress(Exception):
            store.close()

    @contextlib.contextmanager
    def store(self) -> Iterator[ReadStore]:
        """The read store itself, for functions that open their own transactions."""
        with self._use() as store:
            yield store

    @contextlib.contextmanager
    def reading(self) -> Iterator[Transaction]:
        """One consistent snapshot of the read models."""
        with self._use() as store, store.reading() as tx:
            yield tx

    def catch_up(self, app: Boligspor) -> int:
        """Apply what the read models have not seen yet (another process may have written)."""
        with self._catching_up:
            return self._catch_up(app, app.max_position())

    def _catch_up(self, app: Boligspor, latest: int) -> int:
        with self._use() as store:
            applied = catch_up(app, store)
        self._seen = max(self._seen, latest)
        return applied

    def refresh(self, app: Boligspor) -> None:
        """Catch up only when the event store has moved since the last catch-up.

        Writes do not catch up: the first read after them does, so a read sees every event
        acknowledged before it began. A thread that waited for another's catch-up does not
        repeat it when that one already reached the position this thread saw.
        """
        latest = app.max_position()
        if latest <= self._seen:
            return
        with self._catching_up:
            if latest > self._seen:
                self._catch_up(app, latest)

    def open_alerts(self, team: str | None) -> list[Alert]:
        """The watch list's open alerts, those the team sees when a team is given."""
        with self._use() as store:
            return open_alerts(store, team=team)

    def lag(self, app: Boligspor) -> dict[str, int]:
        with self._use() as store:
            return lag(app, store)

    def status_report(self, as_of: date) -> dict[str, Any]:
        with self._use() as store:
            return status_report(store, as_of, self._districts)

    def annual_report(self, year: int, today: date) -> dict[str, Any]:
        with self._use() as store:
            return annual_report(store, year, today, self._districts)

    def outcome_report(self, year: int, today: date) -> dict[str, Any]:
        with self._use() as store:
            return outcome_report(store, year, today, self._districts)

    def close(self) -> None:
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()


@dataclass
class Services:
    """The single set of collaborators the routes share."""

    settings: Settings
    app: Boligspor
    reads: ReadModels
    users: UserStore
    access_log: AccessLog
    owns_app: bool

    def now(self) -> datetime:
        return self.app.clock()

    def today(self) -> date:
        return self.app.today()

    def close(self) -> None:
        self.reads.close()
        if self.owns_app:
            self.app.close()


def build_services(settings: Settings, app: Boligspor | None = None) -> Services:
    """Open (or adopt) the application, create the API's tables, bring the read models up.

    Processes started at once on an empty database take turns here (the schema lock), so
    the tables, triggers and functions are created once, by the first of them."""
    owns = app is None
    with locks.holding(settings.database_url, locks.SCHEMA):
        application = app if app is not None else Boligspor(settings)
        services = Services(
            settings=settings,
            app=application,
            reads=ReadModels(settings.database_url, application.municipality.district_codes),
            users=UserStore(application.sql),
            access_log=AccessLog(application.sql),
            owns_app=owns,
        )
        services.users.ensure_table()
        services.access_log.ensure_table()
        services.reads.catch_up(application)
    return services
