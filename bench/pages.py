"""Server time of each web page (issue 12 goal 8): p50 and p95 over repeated requests by a
signed-in user of the role that works there, against the health endpoint in the same run.

The app runs in this process (`create_app` with the pages), its clock at the last day of the
data, so the pages show the data's present; an ASGI wrapper around it times each request from
its first byte in to its last byte out, so the figures are the server's time without the
client's, and the CPU time the process spent meanwhile. Every page is asked once before it is
timed (the read models catch up on the first read, as after a deploy).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from api.app import create_app, settle_heap
from api.users import UserStore
from bench.backends import Store
from bench.data import TODAY
from bench.figures import Figure, percentile
from bench.http import open_cases
from domain.application import Boligspor

GOAL_MS = 150.0
# name -> (role, team)
USERS: dict[str, tuple[str, str | None]] = {
    "bench.kari": ("caseworker", None),
    "bench.hanne": ("field", "housing_first"),
    "bench.leif": ("leader", None),
    "bench.anne": ("admin", None),
}


@dataclass(frozen=True)
class PageAsked:
    name: str  # what the figure is called
    user: str
    path: str


class Timed:
    """Times each HTTP request the app answers: the seconds of the latest one, and the CPU
    seconds the process spent meanwhile (on a shared machine the wall time waits for a core;
    the CPU time does not)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.last = 0.0
        self.last_cpu = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            await self.app(scope, receive, send)
        finally:
            self.last = time.perf_counter() - started
            self.last_cpu = time.process_time() - cpu


def last_day(data: Path) -> date:
    """The latest business date in the file (a prefix of the country file ends years before
    the whole file's last day)."""
    latest = ""
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            latest = max(latest, str(json.loads(line).get("on", "")))
    return date.fromisoformat(latest)


def pages_asked(case: str, day_of_data: date) -> list[PageAsked]:
    """The pages, each as the role that works there asks for it, on the data's last day: the
    year of that day for the figures, the last month ended by then for the by-name list."""
    first_of_month = day_of_data.replace(day=1)
    ended = first_of_month - timedelta(days=1)
    day, year, month = day_of_data.isoformat(), day_of_data.year, f"{ended:%Y-%m}"
    return [
        PageAsked("cases (Saker, first page)", "bench.kari", "/app/mine"),
        PageAsked("cases (Saker, page 10)", "bench.kari", "/app/mine?side=10"),
        PageAsked("cases (Saker, in a stay)", "bench.kari", "/app/mine?opphold=1"),
        PageAsked("Mine saker (field team)", "bench.hanne", "/app/mine"),
        PageAsked("case page", "bench.kari", f"/app/saker/{case}"),
        PageAsked("waiting list (case worker)", "bench.kari", f"/app/venteliste?dato={day}"),
        PageAsked("waiting list (leader)", "bench.leif", f"/app/venteliste?dato={day}"),
        PageAsked("figures", "bench.leif", f"/app/tall?dato={day}&aar={year}"),
        PageAsked(
            "by-name cases behind a count", "bench.kari", f"/app/tall/by-name-liste/{month}/active"
        ),
        PageAsked("housing plan", "bench.leif", "/app/plan"),
        PageAsked("dwellings", "bench.leif", f"/app/boliger?dato={day}&aar={year}"),
        PageAsked("data quality", "bench.kari", f"/app/datakvalitet?dato={day}"),
        PageAsked("access log", "bench.anne", "/app/innsynslogg"),
        PageAsked("users", "bench.anne", "/app/brukere"),
    ]


def _sign_in(client: TestClient, name: str, token: str) -> None:
    login = client.get("/app/logg-inn")
    found = re.search(r'name="csrf" value="([^"]+)"', login.text)
    assert found, "the login page has no CSRF field"
    answer = client.post(
        "/app/logg-inn", data={"csrf": found.group(1), "name": name, "token": token}
    )
    assert answer.status_code == 303, f"{name} could not sign in: {answer.status_code}"


def _samples(
    timed: Timed, client: TestClient, path: str, repeats: int
) -> tuple[list[float], list[float]]:
    """The wall and the CPU milliseconds of each of `repeats` requests."""
    wall, cpu = [], []
    for _ in range(repeats):
        answer = client.get(path)
        assert answer.status_code == 200, f"{answer.status_code}: {answer.text[:300]}"
        wall.append(timed.last * 1000)
        cpu.append(timed.last_cpu * 1000)
    return wall, cpu


def page_figures(store: Store, data: Path, label: str, repeats: int) -> list[Figure]:
    """`store` already holds the events of `data`: each page's p50 and p95, as ratios to the
    health endpoint's, the p95 judged against the goal."""
    day_of_data = min(last_day(data), TODAY)
    now = datetime.combine(day_of_data, clock_time(12), tzinfo=UTC)
    service = Boligspor(store.settings(), clock=lambda: now)
    users = UserStore(service.sql)
    users.ensure_table()
    tokens = {name: users.add(name, role, team, now=now)[1] for name, (role, team) in USERS.items()}
    timed = Timed(create_app(store.settings(), application=service))
    settle_heap()  # as a server process does (api.app.server_app)
    clients: dict[str, TestClient] = {}
    try:
        for name, token in tokens.items():
            clients[name] = TestClient(timed, follow_redirects=False)  # type: ignore[arg-type]
            _sign_in(clients[name], name, token)
        health = clients["bench.kari"]
        health.get("/api/health")
        baseline, baseline_cpu = _samples(timed, health, "/api/health", repeats)
        base50, base95 = percentile(baseline, 0.5), percentile(baseline, 0.95)
        backend = store.backend
        figures = [
            Figure(
                f"{backend} page health endpoint (baseline) p50, {label}",
                base50,
                "ms",
                note=f"CPU p50 {percentile(baseline_cpu, 0.5):.1f} ms",
            ),
            Figure(f"{backend} page health endpoint (baseline) p95, {label}", base95, "ms"),
        ]
        cases = open_cases(data)
        for page in pages_asked(cases[len(cases) // 2], day_of_data):
            client = clients[page.user]
            started = time.perf_counter()
            first = client.get(page.path)  # the first read (catch-up, caches) is not timed
            first_ms = (time.perf_counter() - started) * 1000
            if first.status_code != 200:  # e.g. no month has ended in a short prefix
                print(f"# {backend} page {page.name}: {first.status_code}, not timed", flush=True)
                continue
            samples, cpu = _samples(timed, client, page.path, repeats)
            p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
            name = f"{backend} page {page.name}, {label}"
            note = (
                f"{page.path}; {repeats} requests; first {first_ms:,.0f} ms;"
                f" CPU p50 {percentile(cpu, 0.5):.1f} / p95 {percentile(cpu, 0.95):.1f} ms"
            )
            figures += [
                Figure(
                    f"{name} p50",
                    p50,
                    "ms",
                    baseline=base50,
                    note=note,
                    extra={"cpu_p50_ms": percentile(cpu, 0.5), "cpu_p95_ms": percentile(cpu, 0.95)},
                ),
                Figure(
                    f"{name} p95",
                    p95,
                    "ms",
                    baseline=base95,
                    goal=f"p95 ≤ {GOAL_MS:g} ms",
                    met=p95 <= GOAL_MS,
                    note=note,
                ),
            ]
        return figures
    finally:
        for client in clients.values():
            client.close()
        service.close()
