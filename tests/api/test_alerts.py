"""GET /api/alerts: the watch list's alerts, filtered by the user's team."""

from __future__ import annotations

from datetime import UTC, datetime

from projections.db import ReadStore
from tests.api.conftest import Api
from workers import raise_watch_list_alerts


def test_alerts_raised_by_the_watch_list_are_listed_per_team(moss: Api) -> None:
    store = ReadStore.open(moss.app.settings.database_url)
    try:
        raise_watch_list_alerts.run(moss.app, store, datetime(2023, 9, 1, 4, 0, tzinfo=UTC))
    finally:
        store.close()
    everyone = moss.get("/api/alerts", as_="caseworker").json()
    # 8 stays over 90 nights on 2023-09-01 (moss-2023.status-2023-09-01.json)
    assert sum(alert["kind"] == "stay-90" for alert in everyone) == 8
    caretaker = moss.get("/api/alerts", as_="field").json()
    assert caretaker and all("caretaker" in alert["teams"] for alert in caretaker)
    assert len(caretaker) < len(everyone)
    assert moss.get("/api/alerts", as_="leader").status_code == 403
