"""Readiness and Prometheus metrics, on both backends."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.api.conftest import Api
from tests.reliability.events import opened


def sample_value(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_readiness_reports_the_database_and_each_read_models_lag(
    fresh_api: Callable[[], Api],
) -> None:
    api = fresh_api()
    ready = api.get("/api/health/ready", as_=None)
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert ready.json()["lag_events"] == 0

    api.app.submit([(1, opened("S-1", "ev-ready-1")), (2, opened("S-2", "ev-ready-2"))])

    behind = api.get("/api/health/ready", as_=None).json()
    assert behind["status"] == "catching_up"
    assert behind["database"] == "reachable"
    assert behind["lag_events"] == 2
    assert behind["read_model_lag"]["case_status"] == 2


def test_metrics_need_an_admin_or_the_metrics_token(fresh_api: Callable[[], Api]) -> None:
    api = fresh_api()
    assert api.get("/metrics", as_=None).status_code == 401
    assert api.get("/metrics", as_="caseworker").status_code == 403
    assert (
        api.get("/metrics", as_=None, headers={"Authorization": "Bearer wrong"}).status_code == 401
    )
    assert api.get("/metrics", as_="admin").status_code == 200

    api.services.settings = api.services.settings.model_copy(update={"metrics_token": "scrape-me"})
    scraped = api.get("/metrics", as_=None, headers={"Authorization": "Bearer scrape-me"})
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")


def test_metrics_count_requests_by_route_template_and_group_commits(
    fresh_api: Callable[[], Api],
) -> None:
    api = fresh_api()
    before = api.get("/metrics", as_="admin").text
    route = {"method": "POST", "route": "/api/events", "status": "201"}
    groups_before = sample_value(before, "boligspor_group_commit_submissions_count")

    for n in range(3):
        response = api.post("/api/events", as_="caseworker", json=opened(f"S-9{n}", f"ev-m-{n}"))
        assert response.status_code == 201, response.text
    api.get("/api/cases/S-90", as_="caseworker")
    api.get("/api/cases/S-90", as_="caseworker")

    after = api.get("/metrics", as_="admin").text
    written = sample_value(after, "boligspor_http_requests_total", **route)
    assert written - sample_value(before, "boligspor_http_requests_total", **route) == 3
    # With the status: an earlier test in this process may have left a 404 of the same route.
    read = {"method": "GET", "route": "/api/cases/{ref}", "status": "200"}
    reads = sample_value(after, "boligspor_http_requests_total", **read)
    assert reads - sample_value(before, "boligspor_http_requests_total", **read) == 2
    latency = sample_value(
        after, "boligspor_http_request_duration_seconds_count", method="POST", route="/api/events"
    )
    assert latency >= 3
    assert sample_value(after, "boligspor_group_commit_submissions_count") - groups_before == 3
    assert "S-90" not in after, "a case ref reached a metric label"
    assert sample_value(after, "boligspor_read_model_lag_events", read_model="case_status") == 0
    assert 'read_model="waiting_list"' in after
